package dev.switchboard.engine.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Fixtures;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.table.ArtifactSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped trained two-step example (deploy/examples: coe-trained-policy.yaml, the committed classifier in
 * coe-trained-classifier.yaml, the experts) with the real all-MiniLM-L6-v2 encoder: hand-written MMLU-style questions,
 * none from the training data, reach the expert a user expects.
 */
class TrainedCoeExampleTest {
    static PolicyRoute coe;

    @BeforeAll
    static void build() throws IOException {
        Path examples = Fixtures.examples();
        RoutingPolicy policy = Fixtures.read(examples.resolve("policies/coe-trained-policy.yaml"), RoutingPolicy.class);
        JsonNode configMap = new ObjectMapper(new YAMLFactory())
                .readTree(examples.resolve("policies/coe-trained-classifier.yaml").toFile());
        assertThat(configMap.at("/metadata/name").asText()).isEqualTo(policy.getSpec().strategy.learned.configMapRef);
        String artifact = configMap.at("/data/router.json").asText();
        ArtifactSource source = (ns, name, key) -> name.equals("coe-trained-classifier") && key.equals("router.json")
                ? Optional.of(artifact) : Optional.empty();
        coe = Fixtures.exampleRoute("coe-trained-policy.yaml", source);
        assertThat(coe.modelName()).isEqualTo("switchboard-coe-trained");
    }

    @Test
    void theArtifactKnowsMmluProsFourteenCategories() {
        assertThat(((CategoryStrategy) coe.strategy()).categoryNames()).containsExactly("biology", "business",
                "chemistry", "computer science", "economics", "engineering", "health", "history", "law", "math",
                "other", "philosophy", "physics", "psychology");
    }

    @Test
    void mathQuestionsGoToTheMathExpert() {
        assertRoute("""
                A store sells pencils at 3 for $0.75. How many pencils can be bought with $12?
                A. 36
                B. 42
                C. 48
                D. 52""", "math", "math");
        assertRoute("Find all real solutions of 2x^2 - 8x + 6 = 0.", "math", "math");
    }

    @Test
    void theDemosShortCalculusQuestionGoesToTheMathExpert() {
        // a bare chat question, no options: the classifier is trained on bare questions too (--prompt both); trained
        // on question+options only it got math 0.38, under the policy's 0.4 threshold, and went to the generalist
        assertRoute("What is the derivative of x^3 * sin(x)?", "math", "math");
    }

    @Test
    void programmingQuestionsGoToTheCodeExpert() {
        assertRoute("""
                Which data structure supports insertion and lookup by key in O(1) average time?
                A. Linked list
                B. Hash table
                C. Binary heap
                D. Sorted array""", "computer science", "code");
        assertRoute("Write a Python function that returns the second largest element of a list of integers.",
                "computer science", "code");
    }

    @Test
    void drugAndDiseaseQuestionsGoToTheMedicalExpert() {
        assertRoute("""
                A 45-year-old man with type 2 diabetes is started on metformin. Which adverse effect is most \
                characteristic of this drug?
                A. Lactic acidosis
                B. Hypoglycemia
                C. Weight gain
                D. Hyperkalemia""", "health", "medical");
    }

    @Test
    void contractAndTortQuestionsGoToTheLegalExpert() {
        assertRoute("""
                A buyer and a seller signed a written contract for the sale of land, but the seller then refused to \
                convey the property. Which remedy is the buyer most likely to obtain?
                A. Specific performance
                B. Punitive damages
                C. Rescission
                D. Nominal damages only""", "law", "legal");
        assertRoute("A customer slipped on a wet floor in a supermarket that had no warning sign. In a negligence "
                + "action against the store, what must the customer prove?", "law", "legal");
    }

    @Test
    void historyAndPhilosophyGoToTheGeneralist() {
        assertRoute("""
                This question refers to the following information.
                "The land is to be divided among the peasants who work it, and the estates of the nobility are \
                hereby abolished."
                Decree of a revolutionary government, 1917
                The decree above was most likely issued by
                A. the Bolsheviks in Russia
                B. the Meiji government in Japan
                C. the Jacobins in France
                D. the Congress Party in India""", "history", "generalist");
        assertRoute("""
                According to Kant, an action has moral worth only if it is done from
                A. inclination
                B. duty
                C. self-interest
                D. sympathy""", "philosophy", "generalist");
    }

    @Test
    void shortHistoryTriviaReachesTheGeneralistThroughTheUncertaintyRule() {
        // Most of MMLU-Pro's history questions quote a source passage, as above; a one-line trivia question is not
        // recognised as history (measured: "other" 0.35, history 0.04), and its low top posterior (below 0.4)
        // sends it to the generalist anyway.
        Decision d = decide("""
                Which treaty ended the First World War between Germany and the Allied Powers?
                A. Treaty of Versailles
                B. Treaty of Paris
                C. Treaty of Westphalia
                D. Treaty of Utrecht""");
        assertThat(d.expert()).as(d.toString()).isEqualTo("generalist");
        assertThat(d.fallbackReason()).as(d.toString()).isEqualTo("low-confidence");
    }

    @Test
    void smallTalkReachesTheGeneralistThroughTheUncertaintyRule() {
        // MMLU-Pro has no chit-chat category: the posteriors of a greeting are flat (measured: top "math" 0.37)
        Decision d = decide("Hi there! How is your day going?");
        assertThat(d.expert()).as(d.toString()).isEqualTo("generalist");
        assertThat(d.fallbackReason()).as(d.toString()).isEqualTo("low-confidence");
    }

    private static Decision decide(String query) {
        Decision d = coe.strategy().decide(new Query(query), coe);
        System.out.printf("[coe-trained] %-10s %-16s %.3f %s | %s%n", d.expert(), d.category(), d.confidence(),
                d.fallbackReason(), query.lines().findFirst().orElse(""));
        return d;
    }

    private static void assertRoute(String query, String category, String expert) {
        Decision d = decide(query);
        assertThat(d.category()).as(query + " " + d.scores()).isEqualTo(category);
        assertThat(d.fallbackReason()).as(query + " " + d).isNull();
        assertThat(d.expert()).as(query + " " + d).isEqualTo(expert);
    }
}

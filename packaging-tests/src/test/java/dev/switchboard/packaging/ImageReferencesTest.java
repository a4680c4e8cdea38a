package dev.switchboard.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The images hack/build-images.sh builds (the Maven profile {@code images} of pom.xml) are exactly the images the
 * chart, the kustomize base and the operator (its default router image) refer to, and they run as the user the
 * pods expect. hack/test-images.sh checks the built images themselves; this test needs no build.
 */
class ImageReferencesTest {
    private static final Path ROOT = Tools.projectRoot();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theBuiltImagesAreTheDefaultImagesEverywhere() throws Exception {
        Map<String, String> p = imagesProfile(ROOT.resolve("pom.xml"));
        assertThat(p.get("quarkus.container-image.name")).isEqualTo("${project.artifactId}");
        String prefix = p.get("quarkus.container-image.registry") + "/" + p.get("quarkus.container-image.group") + "/";
        String tag = p.get("quarkus.container-image.tag");
        String operatorImage = prefix + artifactId("operator") + ":" + tag;
        String routerImage = prefix + artifactId("router-service") + ":" + tag;
        assertThat(operatorImage).isEqualTo("ghcr.io/switchboard-dev/switchboard-operator:0.1.0");
        assertThat(routerImage).isEqualTo("ghcr.io/switchboard-dev/switchboard-router:0.1.0");

        // the chart: operator image = repository + (empty tag =) appVersion, the router image default
        JsonNode chart = YAML.readTree(ROOT.resolve("helm/switchboard/Chart.yaml").toFile());
        JsonNode values = YAML.readTree(ROOT.resolve("helm/switchboard/values.yaml").toFile());
        assertThat(chart.path("appVersion").asText()).as("Chart.yaml appVersion = the images' tag").isEqualTo(tag);
        assertThat(values.at("/image/tag").asText()).as("empty: the chart's appVersion").isEmpty();
        assertThat(values.at("/image/repository").asText() + ":" + chart.path("appVersion").asText())
                .isEqualTo(operatorImage);
        assertThat(values.at("/defaults/routerImage").asText()).isEqualTo(routerImage);

        // the kustomize base, rendered from the chart
        Manifests base = Manifests.parse(Files.readString(ROOT.resolve("deploy/base/operator.yaml")));
        JsonNode deployment = base.ofKind("Deployment").get(0);
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText()).isEqualTo(operatorImage);
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_ROUTER_IMAGE")).isEqualTo(routerImage);

        // the operator's own default, used when nothing sets SWITCHBOARD_OPERATOR_ROUTER_IMAGE
        Properties props = new Properties();
        props.load(new StringReader(Files.readString(
                ROOT.resolve("operator/src/main/resources/application.properties"))));
        assertThat(props.getProperty("switchboard.operator.router-image")).isEqualTo(routerImage);
        Matcher constant = Pattern.compile("DEFAULT_ROUTER_IMAGE = \"([^\"]+)\"").matcher(Files.readString(
                ROOT.resolve("operator/src/main/java/dev/switchboard/operator/config/OperatorConfig.java")));
        assertThat(constant.find()).isTrue();
        assertThat(constant.group(1)).isEqualTo(routerImage);

        assertThat(Files.readString(ROOT.resolve("docs/operations.md"))).contains(routerImage);
    }

    @Test
    void theImagesRunAsTheNonRootUserAndPortOfTheChart() throws Exception {
        Map<String, String> p = imagesProfile(ROOT.resolve("pom.xml"));
        JsonNode values = YAML.readTree(ROOT.resolve("helm/switchboard/values.yaml").toFile());
        // numeric, so the kubelet can enforce runAsNonRoot (the routers' pods set no runAsUser of their own)
        assertThat(p.get("quarkus.jib.user")).matches("[1-9][0-9]*")
                .isEqualTo(values.at("/podSecurityContext/runAsUser").asText());
        assertThat(p.get("quarkus.jib.ports")).isEqualTo("8080");
        assertThat(Tools.template("switchboard", "switchboard-system").ok()).contains("containerPort: 8080");
        assertThat(p.get("quarkus.jib.jvm-entrypoint")).startsWith("java,").endsWith(",-jar,quarkus-run.jar");
    }

    @Test
    void onlyTheImagesProfileAddsJibSoOrdinaryBuildsNeedNoBaseImage() throws Exception {
        for (String module : List.of("operator", "router-service")) {
            Document pom = parse(ROOT.resolve(module).resolve("pom.xml"));
            Element project = pom.getDocumentElement();
            Element dependencies = child(project, "dependencies");
            assertThat(dependencies.getTextContent()).as(module + " dependencies")
                    .doesNotContain("quarkus-container-image");
            Element profile = profile(project, "images");
            assertThat(child(profile, "dependencies").getTextContent()).as(module + " profile images")
                    .contains("quarkus-container-image-jib");
        }
        Map<String, String> p = imagesProfile(ROOT.resolve("pom.xml"));
        assertThat(p).containsEntry("quarkus.container-image.build", "true");
        Document root = parse(ROOT.resolve("pom.xml"));
        Element properties = child(root.getDocumentElement(), "properties");
        assertThat(properties.getTextContent()).as("pom.xml's own properties").doesNotContain("container-image");
    }

    private static String artifactId(String module) throws Exception {
        return child(parse(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement(), "artifactId")
                .getTextContent().trim();
    }

    /** The properties of the profile {@code images}: the image build's settings. */
    private static Map<String, String> imagesProfile(Path pom) throws Exception {
        Element properties = child(profile(parse(pom).getDocumentElement(), "images"), "properties");
        Map<String, String> out = new LinkedHashMap<>();
        NodeList nodes = properties.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e) {
                out.put(e.getTagName(), e.getTextContent().trim());
            }
        }
        return out;
    }

    private static Element profile(Element project, String id) {
        NodeList profiles = child(project, "profiles").getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (id.equals(child(profile, "id").getTextContent().trim())) {
                return profile;
            }
        }
        throw new AssertionError("no profile " + id);
    }

    /** The direct child element of that name. */
    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }
}

package dev.switchboard.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Argo CD health script (deploy/gitops/argocd-health.lua, the one docs/operations.md shows) with a Lua
 * interpreter against ExpertModel/RoutingPolicy objects in each state. Argo CD embeds gopher-lua (Lua 5.1), which
 * hack/ensure-tools.sh builds as glua; the script uses only what 5.1 and 5.4 share.
 */
class ArgoCdHealthCheckTest {
    private static final Path SCRIPT = Tools.projectRoot().resolve("deploy/gitops/argocd-health.lua");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static String lua;

    @BeforeAll
    static void findLua() {
        // glua (gopher-lua, what Argo CD embeds) from hack/ensure-tools.sh first, then any Lua on PATH
        Path glua = Path.of(System.getProperty("user.home"), ".cache/switchboard/tools/bin/glua");
        if (Files.isExecutable(glua)) {
            lua = glua.toString();
            return;
        }
        for (String candidate : new String[] {"glua", "lua5.1", "lua5.4", "lua", "lua5.3", "luajit"}) {
            if (Command.of("sh", "-c", "command -v " + candidate).run().exitCode() == 0) {
                lua = candidate;
                return;
            }
        }
        Assumptions.abort("no Lua interpreter to run the Argo CD health script: hack/ensure-tools.sh builds glua");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no status yet                 | {}                                                                                        | Progressing",
            "spec not yet observed         | {observedGeneration: 1, conditions: [{type: Ready, status: 'True'}]}                      | Progressing",
            "ready                         | {observedGeneration: 2, conditions: [{type: Ready, status: 'True', reason: Available}]}   | Healthy",
            "loading weights               | {observedGeneration: 2, conditions: [{type: Ready, status: 'False', reason: Loading}, {type: Progressing, status: 'True'}]} | Progressing",
            "degraded wins over ready      | {observedGeneration: 2, conditions: [{type: Ready, status: 'True'}, {type: Degraded, status: 'True', message: Unschedulable}]} | Degraded",
            "no ready condition            | {observedGeneration: 2, conditions: [{type: Progressing, status: 'True'}]}                | Progressing"})
    void healthOf(String name, String status, String expected) throws Exception {
        String object = "{apiVersion: switchboard.dev/v1alpha1, kind: ExpertModel, metadata: {name: math, generation: 2}"
                + (status.equals("{}") ? "" : ", status: " + status) + "}";
        assertThat(run(YAML.readTree(object))).startsWith(expected + "|");
    }

    @Test
    void degradedMessageIsShown() throws Exception {
        JsonNode policy = YAML.readTree("{kind: RoutingPolicy, metadata: {name: coe, generation: 1}, status: "
                + "{observedGeneration: 1, conditions: [{type: Degraded, status: 'True', reason: NoExperts, "
                + "message: 'no selected expert is Ready'}]}}");
        assertThat(run(policy)).isEqualTo("Degraded|no selected expert is Ready");
    }

    @Test
    void operationsGuideShowsTheTestedScript() throws Exception {
        String docs = Files.readString(Tools.projectRoot().resolve("docs/operations.md"));
        for (String line : Files.readAllLines(SCRIPT)) {
            if (!line.startsWith("--") && !line.isBlank()) {
                assertThat(docs).as("docs/operations.md shows the tested script").contains("    " + line + "\n");
            }
        }
    }

    private static String run(JsonNode object) throws Exception {
        String driver = "obj = " + toLua(object) + "\n"
                + "local hs = assert(loadfile(\"" + SCRIPT + "\"))()\n"
                + "io.write(hs.status .. \"|\" .. tostring(hs.message))\n";
        Path file = Files.createTempFile("argocd-health-driver", ".lua");
        try {
            Files.writeString(file, driver);
            return Command.of(lua, file.toString()).ok();
        } finally {
            Files.delete(file);
        }
    }

    /** JSON as a Lua table constructor, the shape Argo CD hands the script. */
    static String toLua(JsonNode node) {
        if (node.isObject()) {
            StringBuilder sb = new StringBuilder("{");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append("[\"").append(e.getKey()).append("\"]=").append(toLua(e.getValue())).append(',');
            }
            return sb.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder sb = new StringBuilder("{");
            node.forEach(n -> sb.append(toLua(n)).append(','));
            return sb.append('}').toString();
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        if (node.isNull()) {
            return "nil";
        }
        return "\"" + node.asText().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

package dev.switchboard.lab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingDatasetTest {
    @TempDir
    Path dir;

    private Path data(String... lines) throws IOException {
        Path f = dir.resolve("d.jsonl");
        Files.write(f, List.of(lines));
        return f;
    }

    @Test
    void optionsAreAppendedAsLetteredLinesByDefault() throws IOException {
        Path f = data("{\"question\":\" What is 2+2? \",\"options\":[\"3\",\"4\"],\"scores\":{\"a\":1}}",
                "{\"prompt\":\"Say hi\",\"scores\":{\"a\":0}}");
        List<LabeledQuery> rows = RoutingDataset.read(f);
        assertThat(rows.get(0).text()).isEqualTo("What is 2+2?\nA. 3\nB. 4");
        assertThat(rows.get(1).text()).isEqualTo("Say hi");
        assertThat(RoutingDataset.read(f, PromptFormat.QUESTION).get(0).text()).isEqualTo(" What is 2+2? ");
        assertThat(rows).allSatisfy(q -> assertThat(q.alternateText()).isNull());
    }

    @Test
    void bothReadsQuestionAndOptionsWithTheBareQuestionAsSecondText() throws IOException {
        Path f = data("{\"question\":\" What is 2+2? \",\"options\":[\"3\",\"4\"],\"scores\":{\"a\":1}}",
                "{\"prompt\":\"Say hi\",\"scores\":{\"a\":0}}");
        List<LabeledQuery> rows = RoutingDataset.read(f, PromptFormat.BOTH);
        // the text evaluated is the client's multiple-choice prompt; the bare question is the same as --prompt question
        assertThat(rows.get(0).text()).isEqualTo("What is 2+2?\nA. 3\nB. 4");
        assertThat(rows.get(0).alternateText()).isEqualTo(" What is 2+2? ");
        // a row without options has one text only
        assertThat(rows.get(1).text()).isEqualTo("Say hi");
        assertThat(rows.get(1).alternateText()).isNull();
        assertThat(RoutingDataset.read(f, PromptFormat.QUESTION).get(0).alternateText()).isNull();
    }

    @Test
    void badOptionsAreRejectedNamingTheLine() throws IOException {
        Path f = data("{\"question\":\"q\",\"options\":\"A or B\",\"scores\":{\"a\":1}}");
        assertThatThrownBy(() -> RoutingDataset.read(f)).hasMessageContaining("d.jsonl:1: options must be an array");
        Path g = data("{\"question\":\"q\",\"options\":[\"x\",3],\"scores\":{\"a\":1}}");
        assertThatThrownBy(() -> RoutingDataset.read(g)).hasMessageContaining("options[1] is not a string");
    }

    @Test
    void promptFlagIsParsedWithAClearError() {
        assertThat(PromptFormat.parse("question")).isEqualTo(PromptFormat.QUESTION);
        assertThat(PromptFormat.parse("both")).isEqualTo(PromptFormat.BOTH);
        assertThatThrownBy(() -> PromptFormat.parse("options"))
                .hasMessage("--prompt must be question, question+options or both, got 'options'");
        assertThat(PromptFormat.optionLabel(0)).isEqualTo("A");
        assertThat(PromptFormat.optionLabel(25)).isEqualTo("Z");
        assertThat(PromptFormat.optionLabel(26)).isEqualTo("AA");
    }
}

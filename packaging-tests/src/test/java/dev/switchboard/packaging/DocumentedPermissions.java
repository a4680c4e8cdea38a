package dev.switchboard.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The operator's permissions as docs/security.md documents them: the table whose header is
 * {@code | Resources | Verbs | Where | Why |}, read as resource:verb pairs (resources as kubectl auth can-i --list
 * names them, e.g. {@code deployments.apps}) per "Where" (watched namespaces, operator namespace).
 */
final class DocumentedPermissions {
    static final String HEADER = "| Resources | Verbs | Where | Why |";

    private DocumentedPermissions() {
    }

    static Map<String, Set<String>> read(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc);
        int start = lines.indexOf(HEADER);
        if (start < 0) {
            throw new AssertionError(doc + " has no table headed " + HEADER);
        }
        Map<String, Set<String>> pairs = new TreeMap<>();
        for (String line : lines.subList(start + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|");
            String where = cells[3].trim();
            for (String resource : cells[1].split(",")) {
                for (String verb : cells[2].split(",")) {
                    pairs.computeIfAbsent(where, k -> new TreeSet<>())
                            .add(resource.trim().replace("`", "") + ":" + verb.trim());
                }
            }
        }
        return pairs;
    }
}

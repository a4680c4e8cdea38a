package dev.switchboard.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts a generated CRD's additionalPrinterColumns in the order the {@link AdditionalPrinterColumn} annotations are
 * declared on the resource class. kubectl shows them in the CRD's order, and fabric8's generator sorts them by JSON
 * path (Age first, Ready in the middle); it has no order attribute (fabric8io/kubernetes-client#7454). Works on the
 * text, so the rest of the generated YAML stays byte for byte what the generator wrote.
 */
final class PrinterColumnOrder {
    private static final Pattern LIST_START = Pattern.compile("^(\\s*)- additionalPrinterColumns:$");
    private static final Pattern NAME = Pattern.compile("^\\s*name: \"(.*)\"$");

    private PrinterColumnOrder() {
    }

    static String declared(String crdYaml, Class<?> resource) {
        List<String> order = Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
        List<String> lines = new ArrayList<>(crdYaml.lines().toList());
        for (int i = 0; i < lines.size(); i++) {
            Matcher start = LIST_START.matcher(lines.get(i));
            if (!start.matches()) {
                continue;
            }
            String itemIndent = start.group(1) + "  - "; // a column starts here, its other fields 2 further in
            String fieldIndent = start.group(1) + "    ";
            int end = i + 1;
            List<List<String>> columns = new ArrayList<>();
            while (end < lines.size()
                    && (lines.get(end).startsWith(itemIndent) || lines.get(end).startsWith(fieldIndent))) {
                if (lines.get(end).startsWith(itemIndent)) {
                    columns.add(new ArrayList<>());
                }
                columns.get(columns.size() - 1).add(lines.get(end));
                end++;
            }
            List<String> names = columns.stream().map(PrinterColumnOrder::name).toList();
            if (!names.stream().sorted().toList().equals(order.stream().sorted().toList())) {
                throw new IllegalStateException(resource.getSimpleName() + ": generated printer columns " + names
                        + " are not the annotated ones " + order);
            }
            List<String> sorted = new ArrayList<>();
            for (String n : order) {
                sorted.addAll(columns.get(names.indexOf(n)));
            }
            for (int k = 0; k < sorted.size(); k++) {
                lines.set(i + 1 + k, sorted.get(k));
            }
            i = end - 1;
        }
        return String.join("\n", lines) + (crdYaml.endsWith("\n") ? "\n" : "");
    }

    private static String name(List<String> column) {
        for (String line : column) {
            Matcher m = NAME.matcher(line);
            if (m.matches()) {
                return m.group(1);
            }
        }
        throw new IllegalStateException("printer column without a name: " + column);
    }
}

package dev.switchboard.router.config;

import dev.switchboard.testing.ProjectPaths;
import io.smallrye.config.WithName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every property of {@link RouterConfig} has a row in the configuration table of docs/router.md. */
class RouterConfigDocumentedTest {
    @Test
    void everyPropertyIsInTheConfigurationTable() throws IOException {
        String docs = Files.readString(ProjectPaths.root().resolve("docs/router.md"));
        List<String> properties = new ArrayList<>();
        collect(RouterConfig.class, "switchboard.", properties);
        assertThat(properties).contains("switchboard.mode", "switchboard.kubernetes.write-status");
        assertThat(properties).allSatisfy(p -> assertThat(docs).as("docs/router.md documents %s", p)
                .contains("| `" + p + "`"));
    }

    private static void collect(Class<?> group, String prefix, List<String> properties) {
        for (Method m : group.getDeclaredMethods()) {
            if (m.isDefault() || m.isSynthetic() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            WithName name = m.getAnnotation(WithName.class);
            String property = prefix + (name != null ? name.value() : kebab(m.getName()));
            Class<?> type = m.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == RouterConfig.class) {
                collect(type, property + ".", properties);
            } else {
                properties.add(property);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}

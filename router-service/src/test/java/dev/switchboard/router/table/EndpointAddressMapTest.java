package dev.switchboard.router.table;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointAddressMapTest {

    @Test
    void aRewriteWithTheSameModificationTimeIsStillSeen(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("map.properties");
        Files.writeString(file, "10.1.0.1\\:8000=127.0.0.1\\:41000\n");
        FileTime tick = Files.getLastModifiedTime(file);
        EndpointAddressMap map = new EndpointAddressMap(file);
        assertThat(map.resolve("10.1.0.2", 8000)).isEmpty();

        // replaced as the e2e pod agent does (write aside, atomic move) within the same tick of a coarse clock
        Path next = dir.resolve("map.properties.tmp");
        Files.writeString(next, "10.1.0.1\\:8000=127.0.0.1\\:41000\n10.1.0.2\\:8000=127.0.0.1\\:41001\n");
        Files.setLastModifiedTime(next, tick);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertThat(map.reloadIfChanged()).isTrue();
        assertThat(map.resolve("10.1.0.2", 8000)).contains("127.0.0.1:41001");
        assertThat(map.reloadIfChanged()).isFalse();
    }

    @Test
    void aMissingFileMapsNothingUntilItAppears(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("map.properties");
        EndpointAddressMap map = new EndpointAddressMap(file);
        assertThat(map.resolve("10.1.0.1", 8000)).isEmpty();

        Files.writeString(file, "10.1.0.1\\:8000=127.0.0.1\\:41000\n");
        assertThat(map.reloadIfChanged()).isTrue();
        assertThat(map.resolve("10.1.0.1", 8000)).contains("127.0.0.1:41000");
    }
}

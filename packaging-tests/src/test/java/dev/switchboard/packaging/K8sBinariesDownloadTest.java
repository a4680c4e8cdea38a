package dev.switchboard.packaging;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * hack/k8s-binaries.sh on a networked machine: release binaries are downloaded and installed only when they match
 * their published SHA-256. A local HTTP server plays dl.k8s.io, the etcd GitHub release and get.helm.sh, laid out
 * as they are; building from source is switched off so a refused download fails instead of compiling for minutes.
 */
class K8sBinariesDownloadTest {
    @TempDir
    Path dir;
    HttpServer server;

    @BeforeEach
    void releases() throws IOException {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "the script downloads Linux binaries");
        String arch = Command.of("uname", "-m").ok().strip().equals("x86_64") ? "amd64" : "arm64";
        Command.of("bash", "-euc", """
                cd "$1"; a="$2"
                mkdir -p k8s/v1.34.2/bin/linux/$a etcd/v3.6.5 helm work/etcd-v3.6.5-linux-$a work/linux-$a
                printf '#!/bin/sh\\necho release-apiserver\\n' > k8s/v1.34.2/bin/linux/$a/kube-apiserver
                sha256sum k8s/v1.34.2/bin/linux/$a/kube-apiserver | cut -d' ' -f1 > k8s/v1.34.2/bin/linux/$a/kube-apiserver.sha256
                printf '#!/bin/sh\\necho release-etcd\\n' > work/etcd-v3.6.5-linux-$a/etcd
                tar -czf etcd/v3.6.5/etcd-v3.6.5-linux-$a.tar.gz -C work etcd-v3.6.5-linux-$a
                (cd etcd/v3.6.5 && sha256sum etcd-v3.6.5-linux-$a.tar.gz > SHA256SUMS)
                printf '#!/bin/sh\\necho release-helm\\n' > work/linux-$a/helm
                tar -czf helm/helm-v3.19.0-linux-$a.tar.gz -C work linux-$a
                (cd helm && sha256sum helm-v3.19.0-linux-$a.tar.gz > helm-v3.19.0-linux-$a.tar.gz.sha256sum)
                """, "releases", dir, arch).ok();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            boolean found = file.startsWith(dir) && Files.isRegularFile(file);
            byte[] body = found ? Files.readAllBytes(file) : new byte[0];
            exchange.sendResponseHeaders(found ? 200 : 404, found ? body.length : -1);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void verifiedReleaseBinariesAreInstalled() {
        Command.Result result = script("kube-apiserver", "etcd", "helm");
        assertThat(result.exitCode()).as(result.all()).isZero();
        Path out = dir.resolve("cache/k8s-1.34.2");
        assertThat(result.stdout().strip()).isEqualTo(out.toString());
        assertThat(result.stderr()).contains("downloaded kube-apiserver (checksum verified)",
                "downloaded etcd (checksum verified)", "downloaded helm (checksum verified)");
        for (String b : new String[]{"kube-apiserver", "etcd", "helm"}) {
            assertThat(Files.isExecutable(out.resolve(b))).as(b).isTrue();
            assertThat(Command.of(out.resolve(b)).ok()).isEqualTo("release-" + b.replace("kube-", "") + "\n");
        }
    }

    @Test
    void aBinaryNotMatchingItsChecksumIsNotInstalled() throws IOException {
        Path sum = Files.list(dir.resolve("k8s/v1.34.2/bin/linux")).findFirst().orElseThrow()
                .resolve("kube-apiserver.sha256");
        Files.writeString(sum, "0".repeat(64) + "\n");
        Command.Result result = script("kube-apiserver", "etcd");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("could not download kube-apiserver", "downloaded etcd",
                "building is off");
        assertThat(dir.resolve("cache/k8s-1.34.2/kube-apiserver")).doesNotExist();
    }

    private Command.Result script(String... binaries) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        List<Object> argv = new ArrayList<>(List.of("env", "-u", "KUBEBUILDER_ASSETS",
                "SWITCHBOARD_CACHE=" + dir.resolve("cache"),
                "SWITCHBOARD_K8S_RELEASE_URL=" + base + "/k8s",
                "SWITCHBOARD_ETCD_RELEASE_URL=" + base + "/etcd",
                "SWITCHBOARD_HELM_URL=" + base + "/helm",
                "SWITCHBOARD_K8S_BUILD=0", "bash", "hack/k8s-binaries.sh"));
        argv.addAll(List.of(binaries));
        return Command.of(argv.toArray()).run();
    }
}

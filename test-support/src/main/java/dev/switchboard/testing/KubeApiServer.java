package dev.switchboard.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A real kube-apiserver backed by a real etcd, on loopback, with an optional kube-controller-manager
 * (garbage collection, Deployments → ReplicaSets → Pods). One shared instance per JVM. (The simulated GPU cluster
 * of the end-to-end tests, with kube-scheduler and kwok nodes, is hack/sim-cluster.sh.)
 */
public final class KubeApiServer implements AutoCloseable {
    private static KubeApiServer shared;

    private final Path workDir;
    private final String token = UUID.randomUUID().toString();
    private final int apiPort = FreePort.pick();
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final Path binaries;
    private final Duration startupTime;
    private ManagedProcess controllerManager;

    /** The shared server, started on first use and stopped when the JVM exits. */
    public static synchronized KubeApiServer shared() {
        if (shared == null) {
            shared = new KubeApiServer();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "kube-apiserver-stop"));
        }
        return shared;
    }

    private KubeApiServer() {
        long started = System.nanoTime();
        this.binaries = KubeBinaries.locate("kube-apiserver", "etcd");
        try {
            this.workDir = Files.createTempDirectory("switchboard-kube-");
            int etcdPort = FreePort.pick();
            int peerPort = FreePort.pick();
            processes.add(new ManagedProcess("etcd", List.of(
                    binaries.resolve("etcd").toString(),
                    "--data-dir=" + workDir.resolve("etcd"),
                    "--listen-client-urls=http://127.0.0.1:" + etcdPort,
                    "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                    "--listen-peer-urls=http://127.0.0.1:" + peerPort,
                    "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
                    "--initial-cluster=default=http://127.0.0.1:" + peerPort,
                    "--unsafe-no-fsync=true",
                    "--log-level=warn"), workDir.resolve("etcd.log")));
            writeCredentials();
            processes.add(new ManagedProcess("kube-apiserver", List.of(
                    binaries.resolve("kube-apiserver").toString(),
                    "--etcd-servers=http://127.0.0.1:" + etcdPort,
                    "--bind-address=127.0.0.1",
                    "--advertise-address=127.0.0.1",
                    "--secure-port=" + apiPort,
                    "--cert-dir=" + workDir.resolve("certs"),
                    "--token-auth-file=" + workDir.resolve("tokens.csv"),
                    "--authorization-mode=RBAC",
                    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                    "--service-account-key-file=" + workDir.resolve("sa.pub"),
                    "--service-account-signing-key-file=" + workDir.resolve("sa.key"),
                    "--service-cluster-ip-range=10.96.0.0/16",
                    "--allow-privileged=true",
                    "--disable-admission-plugins=ServiceAccount",
                    "--enable-priority-and-fairness=false",
                    "--v=1"), workDir.resolve("kube-apiserver.log")));
            awaitReady();
            Files.writeString(workDir.resolve("kubeconfig"), kubeconfigYaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.startupTime = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("[switchboard-test] kube-apiserver %s + etcd ready at %s in %d ms (binaries: %s)%n",
                KubeBinaries.K8S_VERSION, url(), startupTime.toMillis(), binaries);
    }

    public String url() {
        return "https://127.0.0.1:" + apiPort;
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** A client with cluster-admin rights (the system:masters group). */
    public Config config() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withOauthToken(token)
                .withTrustCerts(true)
                .withDisableHostnameVerification(true)
                .withNamespace("default")
                .withRequestTimeout(30_000)
                .build();
    }

    public KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }

    /** A kubeconfig file for kubectl, helm or a process under test. */
    public Path kubeconfig() {
        return workDir.resolve("kubeconfig");
    }

    public Path binaries() {
        return binaries;
    }

    /** Starts kube-controller-manager (garbage collector, deployment, replicaset, namespace controllers). */
    public synchronized KubeApiServer withControllerManager() {
        if (controllerManager == null) {
            Path dir = KubeBinaries.locate("kube-controller-manager");
            controllerManager = new ManagedProcess("kube-controller-manager", List.of(
                    dir.resolve("kube-controller-manager").toString(),
                    "--kubeconfig=" + kubeconfig(),
                    "--authentication-kubeconfig=" + kubeconfig(),
                    "--authorization-kubeconfig=" + kubeconfig(),
                    "--bind-address=127.0.0.1",
                    "--secure-port=" + FreePort.pick(),
                    "--leader-elect=false",
                    "--use-service-account-credentials=false",
                    "--service-account-private-key-file=" + workDir.resolve("sa.key"),
                    "--controllers=*,-serviceaccount-token,-nodeipam,-cloud-node-lifecycle,-service-lb-controller",
                    "--v=1"), workDir.resolve("kube-controller-manager.log"));
            processes.add(controllerManager);
        }
        return this;
    }

    private void writeCredentials() throws IOException {
        Files.writeString(workDir.resolve("tokens.csv"),
                token + ",switchboard-admin,switchboard-admin-uid,\"system:masters\"\n", StandardCharsets.UTF_8);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(workDir.resolve("sa.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(workDir.resolve("sa.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private String kubeconfigYaml() {
        return "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: switchboard-test\n  cluster:\n    server: " + url()
                + "\n    insecure-skip-tls-verify: true\n"
                + "users:\n- name: admin\n  user:\n    token: " + token + "\n"
                + "contexts:\n- name: switchboard-test\n  context:\n    cluster: switchboard-test\n"
                + "    user: admin\n    namespace: default\n"
                + "current-context: switchboard-test\n";
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            for (ManagedProcess p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(p.name() + " exited during start-up:\n" + p.tail(40));
                }
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            sleep(200);
        }
        throw new IllegalStateException("kube-apiserver not ready after 90 s (" + last + "):\n"
                + processes.get(processes.size() - 1).tail(40));
    }

    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        processes.clear();
    }
}

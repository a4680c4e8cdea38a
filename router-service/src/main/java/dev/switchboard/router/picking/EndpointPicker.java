package dev.switchboard.router.picking;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.EndpointPicking;
import dev.switchboard.engine.ExpertInfo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks one ready endpoint (replica) of an expert for a request, as the policy's {@link EndpointPicking} says.
 *
 * <p>{@code prefixAffinity} is consistent hashing with bounded loads, steered by what the replicas likely cache. A
 * replica's load is the router's own requests in flight to it or, when fresher than that, vLLM's running plus
 * waiting requests, with the waiting ones counted twice (a queue is what delays the first token). A replica is
 * <em>within the bound</em> while {@code load + 1 <= ceil(loadFactor * (total load + 1) / replicas) + 1} (the bound of
 * consistent hashing with bounded loads, plus one request of slack so that light traffic keeps its affinity) and its
 * KV cache is not full. Among the replicas within the bound, the first that applies wins:
 * <ol>
 * <li>the replica the request's session used last ({@code by=session});</li>
 * <li>the replica this router sent the longest prefix of the prompt to, when that prefix covers the conversation's
 * whole first user message, not just a system prompt and first words that many conversations share
 * ({@code by=prefix});</li>
 * <li>the replica with the highest rendezvous score for the session key, else for the conversation key (system
 * prompt and first user message): every router replica computes the same owner without sharing state, and a
 * replica leaving moves only the conversations it owned ({@code by=hash}).</li>
 * </ol>
 * A request without prompt text or session goes to the least loaded replica.
 *
 * <p>Thread-safe; called on event loops, it never blocks beyond short locks of its bounded tables.
 */
public final class EndpointPicker {
    /** Requests in flight from this router to an endpoint. */
    @FunctionalInterface
    public interface InFlight {
        int of(Endpoint endpoint);
    }

    /** Why an endpoint was picked (the label of switchboard_endpoint_picks_total). */
    public enum By {
        ONLY("only"), SESSION("session"), PREFIX("prefix"), HASH("hash"), LEAST_LOADED("leastLoaded"),
        ROUND_ROBIN("roundRobin");

        private final String label;

        By(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The endpoint picked and why. */
    public record Pick(Endpoint endpoint, By by) {
    }

    private final PrefixIndex prefixes;
    private final SessionTable sessionEndpoints;
    private final SessionTable sessionExperts;
    private final ReplicaLoads loads;
    private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();

    /**
     * @param prefixBlocks      prompt blocks the prefix index remembers (about 100 bytes each)
     * @param sessionMaxEntries sessions remembered, per table (endpoints by session and expert; experts by session)
     */
    public EndpointPicker(int prefixBlocks, int sessionMaxEntries, ReplicaLoads loads) {
        this.prefixes = new PrefixIndex(prefixBlocks);
        this.sessionEndpoints = new SessionTable(sessionMaxEntries);
        this.sessionExperts = new SessionTable(sessionMaxEntries);
        this.loads = loads;
    }

    public ReplicaLoads loads() {
        return loads;
    }

    public Pick pick(ExpertInfo expert, EndpointPicking settings, PickRequest request, InFlight inFlight) {
        List<Endpoint> endpoints = expert.endpoints();
        int n = endpoints.size();
        if (n == 1) {
            return new Pick(endpoints.get(0), By.ONLY);
        }
        long now = System.nanoTime();
        return switch (settings.type()) {
            case ROUND_ROBIN -> new Pick(endpoints.get(Math.floorMod(turns.computeIfAbsent(
                    expert.namespace() + "/" + expert.name(), k -> new AtomicInteger()).getAndIncrement(), n)),
                    By.ROUND_ROBIN);
            case LEAST_LOADED -> new Pick(leastLoaded(endpoints, loads(endpoints, inFlight, now)), By.LEAST_LOADED);
            case PREFIX_AFFINITY -> prefixAffinity(expert, settings, request, inFlight, now);
        };
    }

    private Pick prefixAffinity(ExpertInfo expert, EndpointPicking settings, PickRequest request, InFlight inFlight,
                                long now) {
        List<Endpoint> endpoints = expert.endpoints();
        double[] load = loads(endpoints, inFlight, now);
        boolean[] within = withinBound(endpoints, load, settings.loadFactor(), now);
        String session = request.session();
        String sessionSlot = session == null ? null : session + '\u0001' + expert.namespace() + '/' + expert.name();
        long ttl = settings.sessionTtl().toNanos();
        Pick pick = null;
        if (sessionSlot != null) {
            int at = indexOf(endpoints, sessionEndpoints.get(sessionSlot, now));
            if (at >= 0 && within[at]) {
                pick = new Pick(endpoints.get(at), By.SESSION);
            }
        }
        PromptBlocks blocks = request.blocks();
        if (pick == null && blocks.blocks() > 0) {
            PrefixIndex.Match match = prefixes.longest(blocks.hashes(), blocks.commonBlocks(), url -> {
                int at = indexOf(endpoints, url);
                return at >= 0 && within[at];
            });
            if (match != null) {
                pick = new Pick(endpoints.get(indexOf(endpoints, match.endpoint())), By.PREFIX);
            }
        }
        if (pick == null) {
            if (session == null && blocks.blocks() == 0 && blocks.conversationKey() == 0) {
                pick = new Pick(leastLoaded(endpoints, load), By.LEAST_LOADED);
            } else {
                long key = session != null ? SessionKeys.hash(session) : blocks.conversationKey();
                pick = new Pick(rendezvous(endpoints, within, key), By.HASH);
            }
        }
        if (blocks.blocks() > 0) {
            prefixes.record(blocks.hashes(), pick.endpoint().baseUrl());
        }
        if (sessionSlot != null) {
            sessionEndpoints.put(sessionSlot, pick.endpoint().baseUrl(), ttl, now);
        }
        return pick;
    }

    /** The expert that last answered {@code session}, or null. */
    public String sessionExpert(String session, long nowNanos) {
        return session == null ? null : sessionExperts.get(session, nowNanos);
    }

    /** Remembers the expert that answered {@code session}. */
    public void rememberExpert(String session, String expert, EndpointPicking settings) {
        if (session != null) {
            long now = System.nanoTime();
            sessionExperts.put(session, expert, settings.sessionTtl().toNanos(), now);
        }
    }

    /**
     * A replica's load: the router's own requests in flight, or vLLM's running plus waiting requests when it
     * reports more (other routers' requests), plus its waiting requests once more.
     */
    double[] loads(List<Endpoint> endpoints, InFlight inFlight, long now) {
        double[] load = new double[endpoints.size()];
        for (int i = 0; i < load.length; i++) {
            Endpoint e = endpoints.get(i);
            int local = inFlight.of(e);
            ReplicaLoad r = loads.fresh(e.baseUrl(), now);
            load[i] = r == null ? local : Math.max(local, r.running() + r.waiting()) + r.waiting();
        }
        return load;
    }

    /** Which replicas may take one more request: within the load bound and with KV-cache room, if any has. */
    private boolean[] withinBound(List<Endpoint> endpoints, double[] load, double loadFactor, long now) {
        int n = load.length;
        double total = 0;
        for (double l : load) {
            total += l;
        }
        // one request of slack: at light load (a request or two in flight) affinity is worth more than balance
        double capacity = Math.ceil(loadFactor * (total + 1) / n) + 1;
        boolean[] within = new boolean[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            ReplicaLoad r = loads.fresh(endpoints.get(i).baseUrl(), now);
            within[i] = load[i] + 1 <= capacity && (r == null || !r.kvCacheFull());
            any |= within[i];
        }
        if (!any) {
            // every KV cache is full: the bound alone decides (the least loaded replica is always within it)
            for (int i = 0; i < n; i++) {
                within[i] = load[i] + 1 <= capacity;
                any |= within[i];
            }
        }
        if (!any) {
            java.util.Arrays.fill(within, true);
        }
        return within;
    }

    private static Endpoint rendezvous(List<Endpoint> endpoints, boolean[] within, long key) {
        Endpoint best = null;
        long bestScore = 0;
        for (int i = 0; i < within.length; i++) {
            if (!within[i]) {
                continue;
            }
            Endpoint e = endpoints.get(i);
            long score = Hashing.rendezvous(key, e.baseUrl());
            if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
                best = e;
                bestScore = score;
            }
        }
        return best;
    }

    /** The least loaded endpoint; ties broken from a random start so equal replicas share load. */
    private static Endpoint leastLoaded(List<Endpoint> endpoints, double[] load) {
        int n = endpoints.size();
        int start = ThreadLocalRandom.current().nextInt(n);
        int best = start;
        for (int k = 1; k < n; k++) {
            int i = (start + k) % n;
            if (load[i] < load[best]) {
                best = i;
            }
        }
        return endpoints.get(best);
    }

    private static int indexOf(List<Endpoint> endpoints, String baseUrl) {
        if (baseUrl == null) {
            return -1;
        }
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).baseUrl().equals(baseUrl)) {
                return i;
            }
        }
        return -1;
    }
}

package dev.switchboard.router.picking;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.EndpointPicking;
import dev.switchboard.engine.ExpertInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointPickerTest {
    static final EndpointPicking PREFIX = EndpointPicking.DEFAULT;
    static final EndpointPicker.InFlight IDLE = e -> 0;

    final ReplicaLoads loads = new ReplicaLoads(Duration.ofSeconds(5));
    final EndpointPicker picker = new EndpointPicker(100_000, 1000, loads);

    Endpoint pick(EndpointPicker p, ExpertInfo expert, JsonObject body, String session, EndpointPicker.InFlight f) {
        return p.pick(expert, PREFIX, new PickRequest(body, session), f).endpoint();
    }

    @Test
    void aConversationsTurnsGoToOneReplicaWhileConversationsSpread() {
        ExpertInfo expert = Conversations.expert(8);
        Set<Endpoint> used = new HashSet<>();
        for (int c = 0; c < 40; c++) {
            Endpoint first = pick(picker, expert, Conversations.turn(c, 0), null, IDLE);
            used.add(first);
            for (int t = 1; t < 6; t++) {
                assertThat(pick(picker, expert, Conversations.turn(c, t), null, IDLE)).as("conversation %d turn %d", c, t)
                        .isEqualTo(first);
            }
        }
        // the shared system prompt does not pull every conversation onto one replica
        assertThat(used).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void conversationsWhoseFirstMessagesStartAlikeStillSpread() {
        // the system prompt and the first words of every first message are the same: several blocks in common
        ExpertInfo expert = Conversations.expert(4);
        Set<Endpoint> used = new HashSet<>();
        for (int c = 0; c < 16; c++) {
            JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", "Tutor."))
                    .add(new JsonObject().put("role", "user").put("content", "What is the integral of the function "
                            + "that the textbook gives in exercise number " + c + "?"));
            Endpoint first = pick(picker, expert, new JsonObject().put("messages", messages.copy()), null, IDLE);
            messages.add(new JsonObject().put("role", "assistant").put("content", "Let us work it out step by step."))
                    .add(new JsonObject().put("role", "user").put("content", "And its derivative?"));
            assertThat(pick(picker, expert, new JsonObject().put("messages", messages), null, IDLE)).isEqualTo(first);
            used.add(first);
        }
        assertThat(used).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void theSamePromptGoesToTheSameReplicaAndWhyIsReported() {
        ExpertInfo expert = Conversations.expert(4);
        JsonObject body = new JsonObject().put("prompt", "Summarise the following report. ".repeat(20));
        EndpointPicker.Pick first = picker.pick(expert, PREFIX, new PickRequest(body, null), IDLE);
        assertThat(first.by()).isEqualTo(EndpointPicker.By.HASH);
        for (int i = 0; i < 5; i++) {
            EndpointPicker.Pick again = picker.pick(expert, PREFIX, new PickRequest(body, null), IDLE);
            assertThat(again.endpoint()).isEqualTo(first.endpoint());
            assertThat(again.by()).isEqualTo(EndpointPicker.By.PREFIX);
        }
    }

    @Test
    void aReplicaOverTheLoadBoundSpillsItsConversationToAnother() {
        ExpertInfo expert = Conversations.expert(4);
        Endpoint home = pick(picker, expert, Conversations.turn(7, 0), null, IDLE);
        // home has 3 in flight, the others none: bound = ceil(1.25 * (3 + 1) / 4) + 1 = 3, so home (3 + 1) is over it
        EndpointPicker.InFlight busy = e -> e.equals(home) ? 3 : 0;
        Endpoint spilled = pick(picker, expert, Conversations.turn(7, 1), null, busy);
        assertThat(spilled).isNotEqualTo(home);
        // with the load even again, the next turn follows the longest cached prefix: the replica it spilled to
        EndpointPicker.InFlight even = e -> 1;
        EndpointPicker.Pick next = picker.pick(expert, PREFIX, new PickRequest(Conversations.turn(7, 2), null), even);
        assertThat(next.endpoint()).isEqualTo(spilled);
        assertThat(next.by()).isEqualTo(EndpointPicker.By.PREFIX);
    }

    @Test
    void vllmQueueCountsAsLoadAndAFullKvCacheIsAvoided() {
        ExpertInfo expert = Conversations.expert(3);
        Endpoint home = pick(picker, expert, Conversations.turn(1, 0), null, IDLE);
        loads.put(home.baseUrl(), new ReplicaLoad(4, 6, 0.5, System.nanoTime()));
        assertThat(pick(picker, expert, Conversations.turn(1, 1), null, IDLE)).isNotEqualTo(home);

        Endpoint other = pick(picker, expert, Conversations.turn(2, 0), null, IDLE);
        loads.put(home.baseUrl(), new ReplicaLoad(0, 0, 0.1, System.nanoTime()));
        loads.put(other.baseUrl(), new ReplicaLoad(0, 0, 0.99, System.nanoTime()));
        assertThat(pick(picker, expert, Conversations.turn(2, 1), null, IDLE)).isNotEqualTo(other);
    }

    @Test
    void aReplicaLeavingMovesOnlyTheConversationsItHeld() {
        ExpertInfo expert = Conversations.expert(5);
        Map<Integer, Endpoint> before = new HashMap<>();
        for (int c = 0; c < 300; c++) {
            before.put(c, pick(picker, expert, Conversations.turn(c, 0), null, IDLE));
        }
        Endpoint gone = expert.endpoints().get(2);
        ExpertInfo shrunk = Conversations.without(expert, gone);
        // this router (its prefix index) and another router that never saw these conversations agree
        EndpointPicker otherRouter = new EndpointPicker(100_000, 1000, new ReplicaLoads(Duration.ofSeconds(5)));
        int moved = 0;
        Set<Endpoint> newHomes = new HashSet<>();
        for (int c = 0; c < 300; c++) {
            Endpoint after = pick(picker, shrunk, Conversations.turn(c, 1), null, IDLE);
            assertThat(pick(otherRouter, shrunk, Conversations.turn(c, 1), null, IDLE)).isEqualTo(after);
            if (before.get(c).equals(gone)) {
                moved++;
                newHomes.add(after);
            } else {
                assertThat(after).as("conversation %d", c).isEqualTo(before.get(c));
            }
        }
        assertThat(moved).isBetween(30, 90); // about a fifth
        assertThat(newHomes).hasSizeGreaterThanOrEqualTo(3); // its share spreads over the others
    }

    @Test
    void aSessionStaysOnItsReplicaWhateverItSendsAndIsReleasedWhenTheReplicaGoes() {
        ExpertInfo expert = Conversations.expert(4);
        String session = SessionKeys.of("ns/p", "abc", null, PREFIX);
        Endpoint home = pick(picker, expert, prompt("first"), session, IDLE);
        for (int i = 0; i < 10; i++) {
            EndpointPicker.Pick p = picker.pick(expert, PREFIX, new PickRequest(prompt("unrelated " + i), session), IDLE);
            assertThat(p.endpoint()).isEqualTo(home);
            assertThat(p.by()).isEqualTo(EndpointPicker.By.SESSION);
        }
        ExpertInfo without = Conversations.without(expert, home);
        Endpoint next = pick(picker, without, prompt("after"), session, IDLE);
        assertThat(next).isNotEqualTo(home);
        // it stays on its new replica, also when the old one comes back (its cache is there now)
        assertThat(pick(picker, expert, prompt("back"), session, IDLE)).isEqualTo(next);
        // an overloaded session replica spills
        EndpointPicker.InFlight busy = e -> e.equals(next) ? 5 : 0;
        assertThat(pick(picker, expert, prompt("busy"), session, busy)).isNotEqualTo(next);
    }

    @Test
    void sessionsAreForgottenAfterTheirTtl() {
        EndpointPicking shortTtl = new EndpointPicking(EndpointPicking.Type.PREFIX_AFFINITY, 1.25, "x-session-id",
                true, false, Duration.ofMillis(1));
        ExpertInfo expert = Conversations.expert(16);
        String session = SessionKeys.of("ns/p", "s", null, shortTtl);
        picker.pick(expert, shortTtl, new PickRequest(prompt("x"), session), IDLE);
        long later = System.nanoTime() + Duration.ofMillis(5).toNanos();
        assertThat(picker.sessionExpert(session, later)).isNull();
    }

    @Test
    void withoutPromptOrSessionTheLeastLoadedReplicaIsPicked() {
        ExpertInfo expert = Conversations.expert(3);
        Endpoint quiet = expert.endpoints().get(1);
        EndpointPicker.InFlight f = e -> e.equals(quiet) ? 0 : 2;
        EndpointPicker.Pick p = picker.pick(expert, PREFIX, new PickRequest(new JsonObject(), null), f);
        assertThat(p.endpoint()).isEqualTo(quiet);
        assertThat(p.by()).isEqualTo(EndpointPicker.By.LEAST_LOADED);
    }

    @Test
    void leastLoadedAndRoundRobinIgnorePrefixes() {
        ExpertInfo expert = Conversations.expert(3);
        Endpoint quiet = expert.endpoints().get(2);
        loads.put(expert.endpoints().get(0).baseUrl(), new ReplicaLoad(1, 3, 0.2, System.nanoTime()));
        EndpointPicker.InFlight f = e -> e.equals(quiet) ? 0 : 1;
        EndpointPicking least = PREFIX.withType(EndpointPicking.Type.LEAST_LOADED);
        for (int i = 0; i < 5; i++) {
            assertThat(picker.pick(expert, least, new PickRequest(Conversations.turn(1, i), null), f).endpoint())
                    .isEqualTo(quiet);
        }
        EndpointPicking rr = PREFIX.withType(EndpointPicking.Type.ROUND_ROBIN);
        Set<Endpoint> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            seen.add(picker.pick(expert, rr, new PickRequest(Conversations.turn(1, 0), null), IDLE).endpoint());
        }
        assertThat(seen).hasSize(3);
    }

    @Test
    void oneReplicaIsPickedWithoutLookingAtTheRequest() {
        ExpertInfo expert = Conversations.expert(1);
        EndpointPicker.Pick p = picker.pick(expert, PREFIX, new PickRequest(null, null), IDLE);
        assertThat(p.by()).isEqualTo(EndpointPicker.By.ONLY);
        assertThat(p.endpoint()).isEqualTo(expert.endpoints().get(0));
    }

    @Test
    void theStickyExpertOfASessionIsRemembered() {
        String session = SessionKeys.of("ns/p", "abc", null, PREFIX);
        picker.rememberExpert(session, "code", PREFIX);
        assertThat(picker.sessionExpert(session, System.nanoTime())).isEqualTo("code");
        assertThat(picker.sessionExpert(SessionKeys.of("ns/other", "abc", null, PREFIX), System.nanoTime())).isNull();
    }

    static JsonObject prompt(String text) {
        return new JsonObject().put("messages", new JsonArray().add(new JsonObject().put("role", "user")
                .put("content", text)));
    }
}

package dev.switchboard.e2e;

/** OpenAI request bodies used by the end-to-end tests and the demo. */
final class E2eRequests {
    private E2eRequests() {
    }

    static String chat(String model, String question, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + question.replace("\"", "\\\"") + "\"}]}";
    }
}

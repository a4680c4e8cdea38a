package dev.switchboard.engine;

/** One ready address of an expert: the base URL of its OpenAI API, e.g. http://10.1.2.3:8000/v1. */
public record Endpoint(String baseUrl) {
}

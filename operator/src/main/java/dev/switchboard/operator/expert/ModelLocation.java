package dev.switchboard.operator.expert;

import java.util.Optional;

/**
 * A parsed spec.model.uri: what to pass to vLLM --model, and what to mount for it.
 *
 * @param model     value of --model
 * @param revision  value of --revision (hf:// only)
 * @param claimName PersistentVolumeClaim to mount read-only (pvc:// only)
 * @param s3        whether weights stream from S3
 */
public record ModelLocation(String model, Optional<String> revision, Optional<String> claimName, boolean s3) {
    /** Where a pvc:// claim is mounted in the engine container. */
    public static final String MODELS_MOUNT = "/models";

    public static ModelLocation parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("spec.model.uri is empty");
        }
        if (uri.startsWith("hf://")) {
            String rest = uri.substring("hf://".length());
            int at = rest.indexOf('@');
            String id = at < 0 ? rest : rest.substring(0, at);
            if (!id.contains("/") || id.startsWith("/") || id.endsWith("/")) {
                throw new IllegalArgumentException("spec.model.uri '" + uri + "' must look like hf://org/name[@revision]");
            }
            Optional<String> revision = at < 0 ? Optional.empty() : Optional.of(rest.substring(at + 1));
            return new ModelLocation(id, revision.filter(r -> !r.isBlank()), Optional.empty(), false);
        }
        if (uri.startsWith("pvc://")) {
            String rest = uri.substring("pvc://".length());
            int slash = rest.indexOf('/');
            String claim = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
            if (claim.isBlank()) {
                throw new IllegalArgumentException("spec.model.uri '" + uri + "' names no claim: use pvc://claim/path");
            }
            String model = path.isEmpty() ? MODELS_MOUNT : MODELS_MOUNT + "/" + path;
            return new ModelLocation(model, Optional.empty(), Optional.of(claim), false);
        }
        if (uri.startsWith("s3://")) {
            return new ModelLocation(uri, Optional.empty(), Optional.empty(), true);
        }
        throw new IllegalArgumentException("spec.model.uri '" + uri + "' must start with hf://, pvc:// or s3://");
    }
}

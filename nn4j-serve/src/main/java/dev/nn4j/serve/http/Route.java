package dev.nn4j.serve.http;

/**
 * A matched path: the route template (a bounded metric label), its method, what it addresses and what it does.
 * Paths follow the Open Inference Protocol's REST layout.
 */
record Route(String endpoint, String method, String model, String version, Kind kind) {
    /** Matches {@code path} against the routes; null when none fits. */
    static Route match(String path) {
        String[] s = path.split("/", -1);
        // s[0] is "" for a leading slash
        if (s.length < 2 || !s[0].isEmpty()) return null;
        int n = s.length;
        if (s[1].equals("v2")) {
            if (n == 2) return new Route("/v2", "GET", null, null, Kind.SERVER_METADATA);
            if (n == 4 && s[2].equals("health") && s[3].equals("live")) return new Route("/v2/health/live", "GET", null, null, Kind.LIVE);
            if (n == 4 && s[2].equals("health") && s[3].equals("ready")) return new Route("/v2/health/ready", "GET", null, null, Kind.READY);
            if (n == 6 && s[2].equals("repository") && s[3].equals("models") && !s[4].isEmpty() && s[5].equals("load")) {
                return new Route("/v2/repository/models/{name}/load", "POST", s[4], null, Kind.LOAD);
            }
            if (n >= 4 && s[2].equals("models") && !s[3].isEmpty()) {
                String model = s[3], version = null;
                int at = 4;
                String prefix = "/v2/models/{name}";
                if (n >= 6 && s[4].equals("versions") && !s[5].isEmpty()) {
                    version = s[5];
                    at = 6;
                    prefix += "/versions/{version}";
                }
                if (n == at) return new Route(prefix, "GET", model, version, Kind.MODEL_METADATA);
                if (n == at + 1 && s[at].equals("ready")) return new Route(prefix + "/ready", "GET", model, version, Kind.MODEL_READY);
                if (n == at + 1 && s[at].equals("infer")) return new Route(prefix + "/infer", "POST", model, version, Kind.INFER);
            }
            return null;
        }
        if (n == 5 && s[1].equals("v1") && s[2].equals("models") && !s[3].isEmpty() && s[4].equals("predict")) {
            return new Route("/v1/models/{name}/predict", "POST", s[3], null, Kind.PREDICT);
        }
        if (n == 2 && s[1].equals("metrics")) return new Route("/metrics", "GET", null, null, Kind.METRICS);
        return null;
    }
}

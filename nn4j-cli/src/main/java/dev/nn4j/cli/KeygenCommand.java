package dev.nn4j.cli;

import dev.nn4j.serve.security.KeyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code nn4j keygen}: makes a new API key for {@code nn4j serve --keys FILE}, prints it alone on one line of stdout
 * (the only time it is shown) and appends only its SHA-256 hash, id and scopes to FILE.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make an API key for nn4j serve --keys FILE: prints the key once on stdout, appends only its SHA-256 hash to FILE.",
                "Revoke a key by deleting its line from FILE (a running server re-reads the file)."})
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--keys", required = true, paramLabel = "FILE", description = "Key file to append to (created owner-only if missing).")
    Path keys;

    @Option(names = "--name", paramLabel = "ID", description = "Key id shown in logs and metrics instead of the key (default: key-<random hex>).")
    String name;

    @Option(names = "--models", paramLabel = "a,b", split = ",", description = "Models the key may use (default: all).")
    List<String> models;

    @Override
    public Integer call() {
        Set<String> scopes = new LinkedHashSet<>();
        if (models != null) for (String m : models) if (!m.isBlank()) scopes.add(m.strip());
        String key = KeyFile.generate(keys, name, scopes);
        System.out.println(key);
        System.out.flush();
        byte[] hash = KeyFile.sha256(key);
        String id = KeyFile.read(keys).stream().filter(e -> MessageDigest.isEqual(e.sha256(), hash)).findFirst().orElseThrow().id();
        System.err.println("nn4j keygen: appended the hash of key '" + id + "' ("
                + (scopes.isEmpty() ? "all models" : "models " + String.join(",", scopes)) + ") to " + keys
                + "; the key above is not stored anywhere, keep it now");
        return 0;
    }
}

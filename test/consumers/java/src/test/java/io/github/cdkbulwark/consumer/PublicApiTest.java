package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdkbulwark.ComplianceChecks;
import org.junit.jupiter.api.Test;

/**
 * Every public type of the package is used from Java by some test here. The list comes from the jsii
 * assembly inside the jar, so a type added to the library fails this test until a consumer test uses
 * it. A type counts as used when a test names it (imports aside), or, for a struct, when it is the props
 * of a construct a test builds (the Builder takes them field by field), or the base of a used struct.
 * Deprecated types are left out.
 */
class PublicApiTest {
    private static JsonNode assembly() throws IOException {
        try (JarFile jar = new JarFile(ComplianceChecks.class.getProtectionDomain().getCodeSource().getLocation().getPath())) {
            var entry = jar.stream().filter(e -> e.getName().endsWith(".jsii.tgz")).findFirst().orElseThrow();
            try (InputStream tar = new GZIPInputStream(jar.getInputStream(entry))) {
                byte[] header = new byte[512];
                while (tar.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                    String name = new String(header, 0, 100, StandardCharsets.US_ASCII).split("\0")[0];
                    int size = Integer.parseInt(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
                    byte[] body = tar.readNBytes(size);
                    tar.skipNBytes((512 - size % 512) % 512);
                    if (name.equals("package/.jsii")) {
                        return new ObjectMapper().readTree(body);
                    }
                }
            }
        }
        throw new IllegalStateException("no package/.jsii in the jar's assembly");
    }

    private static Set<String> namesUsedByTheTests() throws IOException {
        Set<String> used = new HashSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/java/io/github/cdkbulwark/consumer"))) {
            for (Path file : files.filter(f -> !f.endsWith("PublicApiTest.java")).collect(Collectors.toList())) {
                Matcher words = Pattern.compile("\\b\\w+\\b").matcher(Files.readString(file).replaceAll("(?m)^import .*$", ""));
                while (words.find()) {
                    used.add(words.group());
                }
            }
        }
        return used;
    }

    private static String shortName(final JsonNode fqn) {
        return fqn.asText().substring(fqn.asText().lastIndexOf('.') + 1);
    }

    @Test
    void everyPublicTypeIsUsedByAConsumerTest() throws IOException {
        Map<String, JsonNode> types = new java.util.HashMap<>();
        assembly().get("types").forEach(t -> {
            if (!t.path("docs").has("deprecated") && !t.path("docs").path("stability").asText().equals("deprecated")) {
                types.put(t.get("name").asText(), t);
            }
        });
        Set<String> used = namesUsedByTheTests();
        Set<String> reached = types.keySet().stream().filter(used::contains).collect(Collectors.toCollection(HashSet::new));
        boolean grew = true;
        while (grew) {
            Set<String> more = new HashSet<>();
            for (String name : reached) {
                JsonNode t = types.get(name);
                JsonNode parameters = t.path("initializer").path("parameters");
                if (parameters.size() > 0) {
                    more.add(shortName(parameters.get(parameters.size() - 1).path("type").path("fqn")));
                }
                t.path("interfaces").forEach(base -> more.add(shortName(base)));
            }
            more.retainAll(types.keySet());
            grew = reached.addAll(more);
        }
        Set<String> missing = new TreeSet<>(types.keySet());
        missing.removeAll(reached);
        assertEquals(List.of(), List.copyOf(missing), "public types that no consumer test uses");
    }
}

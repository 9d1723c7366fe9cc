package io.rivulet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Keeps the README's quick start true: it is the code of {@link QuickStart}, and that code runs. */
class QuickStartTest {

    private static final String BEGIN = "// --- README quick start begins ---";
    private static final String END = "// --- README quick start ends ---";

    @Test
    void quickStartHandlesBothMessages() {
        List<Outcome<QuickStart.Email>> outcomes = QuickStart.run();
        assertThat(outcomes).extracting(Outcome::status).containsOnly(Outcome.Status.ACKED);
        assertThat(outcomes).extracting(o -> o.message().payload().to())
                .containsExactly("ada@example.com", "bob@example.com");
    }

    @Test
    void readmeShowsTheQuickStartCode() throws IOException {
        String source = Files.readString(Path.of("src/main/java/io/rivulet/samples/QuickStart.java"));
        String body = source.substring(source.indexOf(BEGIN) + BEGIN.length(), source.indexOf(END));
        String readme = Files.readString(Path.of("../README.md"));
        Matcher block = Pattern.compile("## Quick start.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README has a java block under '## Quick start'").isTrue();
        assertThat(normalize(block.group(1))).contains(normalize(body));
    }

    private static String normalize(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}

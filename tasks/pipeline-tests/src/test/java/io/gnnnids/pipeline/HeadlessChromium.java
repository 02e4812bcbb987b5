package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/** Opens the project's HTML reports in a headless chromium, offline, as a person's browser would render them. */
final class HeadlessChromium {

    private final Path binary;
    private final Path work;

    private HeadlessChromium(Path binary, Path work) {
        this.binary = binary;
        this.work = work;
    }

    /** A browser working in {@code work}, or null when there is no chromium binary on PATH. */
    static HeadlessChromium find(Path work) throws Exception {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return new HeadlessChromium(p, Files.createDirectories(work));
            }
        }
        return null;
    }

    /** The page's DOM once rendered. */
    String dom(Path html) throws Exception {
        return run("--dump-dom", html.toUri().toString());
    }

    /** Asserts the page renders drawn, not blank: many colours and many pixels that are not white. */
    void assertDrawn(Path html) throws Exception {
        Path png = work.resolve(html.getFileName() + ".png");
        run("--screenshot=" + png, html.toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "chromium wrote " + png);
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb != 0xFFFFFF) nonWhite++;
            }
        }
        assertTrue(colours.size() > 20, "the page is drawn, not blank: " + colours.size() + " colours");
        assertTrue(nonWhite > 5_000, nonWhite + " pixels that are not white");
    }

    private String run(String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + work.resolve("profile"),
                "--window-size=1200,2000"));
        cmd.addAll(List.of(extra));
        Path out = Files.createTempFile(work, "chromium-out", ".txt");
        Path err = Files.createTempFile(work, "chromium-err", ".txt");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("chromium did not finish within 2 minutes: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
        return Files.readString(out);
    }
}

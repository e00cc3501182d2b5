package dev.junction.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs system tools (ip, nsenter, ping, nft) as the independent check of kernel state. */
public final class Commands {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** What a finished command printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {

        public Result check(List<String> command) {
            if (exitCode != 0) {
                throw new AssertionError("command " + String.join(" ", command) + " exited with " + exitCode + ": " + stderr + stdout);
            }
            return this;
        }
    }

    private Commands() {
    }

    public static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] stdout = process.getInputStream().readAllBytes();
            byte[] stderr = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("command timed out: " + String.join(" ", command));
            }
            return new Result(process.exitValue(), new String(stdout, StandardCharsets.UTF_8), new String(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command));
        }
    }

    public static Result run(String... command) {
        return run(List.of(command));
    }

    /** Runs a command that must succeed and returns its standard output. */
    public static String check(String... command) {
        return run(List.of(command)).check(List.of(command)).stdout();
    }

    /** Runs a command that prints JSON (such as {@code ip -j}) and parses its output. */
    public static JsonNode json(String... command) {
        String output = check(command).strip();
        try {
            return JSON.readTree(output.isEmpty() ? "[]" : output);
        } catch (IOException e) {
            throw new AssertionError("command " + String.join(" ", command) + " printed invalid JSON: " + output, e);
        }
    }
}

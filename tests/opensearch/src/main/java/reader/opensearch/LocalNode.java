package reader.opensearch;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;

/**
 * Starts one real OpenSearch node (org.opensearch.node.Node, with the modules found in the home's
 * modules/ folder) and keeps it up until the JVM is asked to stop (SIGTERM / SIGINT).
 *
 * <p>Why not bin/opensearch: its bootstrap refuses to run as root ("can not run opensearch as
 * root"), and CI here runs as root. Everything after the bootstrap (settings, module loading, the
 * HTTP and transport layers, discovery, allocation) is the same code the real server runs; what is
 * skipped is the root check, the security manager, the JNA/mlockall natives and the production
 * bootstrap checks, none of which a loopback test node needs.
 *
 * <p>Usage: {@code java -cp opensearch-local-node.jar:HOME/lib/* reader.opensearch.LocalNode HOME
 * CONFIG_DIR [-Ekey=value ...]}; CONFIG_DIR holds opensearch.yml and log4j2.properties.
 *
 * <p>With {@code -Dlocalnode.exit_with_pid=PID} the node shuts itself down once process PID is
 * gone, so a test run that is killed (CI time-out, Ctrl-C twice) leaves no JVM behind.
 */
public final class LocalNode {
    private LocalNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LocalNode HOME CONFIG_DIR [-Ekey=value ...]");
            System.exit(2);
        }
        Path home = Paths.get(args[0]).toAbsolutePath();
        Path config = Paths.get(args[1]).toAbsolutePath();
        Settings.Builder input = Settings.builder().put("path.home", home.toString());
        for (int i = 2; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            if (!arg.startsWith("-E") || eq < 3) {
                System.err.println("LocalNode: expected -Ekey=value, got: " + arg);
                System.exit(2);
            }
            input.put(arg.substring(2, eq), arg.substring(eq + 1));
        }

        LogConfigurator.registerErrorListener();
        Environment env =
                InternalSettingsPreparer.prepareEnvironment(
                        input.build(), Collections.emptyMap(), config, () -> "node");
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(env.settings()));
        LogConfigurator.configure(env);

        CountDownLatch stopped = new CountDownLatch(1);
        Node node = new Node(env);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        node.close();
                                        node.awaitClose(20, TimeUnit.SECONDS);
                                    } catch (Exception e) {
                                        e.printStackTrace();
                                    } finally {
                                        stopped.countDown();
                                    }
                                },
                                "local-node-shutdown"));
        watchParent(Long.getLong("localnode.exit_with_pid", -1L));
        try {
            node.start();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        stopped.await();
    }

    private static void watchParent(long pid) {
        if (pid <= 0) {
            return;
        }
        Thread watcher =
                new Thread(
                        () -> {
                            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                                try {
                                    Thread.sleep(1000);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                            System.err.println("LocalNode: process " + pid + " is gone, stopping");
                            System.exit(0);
                        },
                        "local-node-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}

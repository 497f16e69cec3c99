package dev.deploykit.it.deploy;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import java.util.Map;

/**
 * A deploy in a JVM of its own that stops dead at a chosen protocol step, for
 * {@link CrashRecoveryIT} to {@code kill -9} it there. Arguments: stack, proxy port, version, the
 * simple name of the event after which to halt, the Java image, the proxy image.
 */
public final class CrashingDeploy {
  private CrashingDeploy() {}

  public static void main(String[] args) throws Exception {
    String stack = args[0];
    int port = Integer.parseInt(args[1]);
    String version = args[2];
    String haltAfter = args[3];
    String javaImage = args[4];
    String proxyImage = args[5];
    try (DockerHost host = DockerHost.local()) {
      Deployer deployer = Deployer.builder(host).proxyImage(proxyImage).proxyBindAddress("127.0.0.1")
          .owner("crashing@it").listener(event -> {
            System.out.println("EVENT " + event.getClass().getSimpleName());
            if (event.getClass().getSimpleName().equals(haltAfter)) {
              System.out.println("HALTED " + haltAfter);
              System.out.flush();
              try {
                Thread.sleep(Long.MAX_VALUE);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }).build();
      System.out.println("RESULT " + deployer.deploy(
          TestStack.of(stack, port, TestStack.web(javaImage, version, Map.of()), javaImage), version));
    }
  }
}

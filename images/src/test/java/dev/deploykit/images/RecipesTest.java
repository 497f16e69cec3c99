package dev.deploykit.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.llm.OllamaServer;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipesTest {

  @Test
  void findsTheStandInForEverySpellingOfAnOfficialImage() {
    assertThat(Recipes.forOfficial("postgres:18.1")).contains(Recipes.POSTGRES_18_1);
    assertThat(Recipes.forOfficial("docker.io/library/postgres:18.1")).contains(Recipes.POSTGRES_18_1);
    assertThat(Recipes.forOfficial("library/postgres:18.1")).contains(Recipes.POSTGRES_18_1);
    assertThat(Recipes.forOfficial("postgres:18.0")).isEmpty();
    assertThat(Recipes.forOfficial("postgres")).as("latest is not 18.1").isEmpty();
    assertThat(Recipes.forOfficial("ghcr.io/someone/postgres:18.1")).isEmpty();
  }

  @Test
  void everyRecipeFileIsOnTheClassPath() throws Exception {
    for (Recipe recipe : Recipes.all()) {
      for (String file : recipe.files()) {
        try (InputStream in = getClass()
            .getResourceAsStream("/" + recipe.directory() + "/" + file)) {
          assertThat(in).as(recipe.localName() + " " + file).isNotNull();
        }
      }
    }
  }

  @Test
  void theStandInsDeclareTheBaseImageArgumentThatTheBuilderPasses() throws Exception {
    for (Recipe recipe : Recipes.all()) {
      String dockerfile;
      try (InputStream in = getClass()
          .getResourceAsStream("/" + recipe.directory() + "/Dockerfile")) {
        dockerfile = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      if (recipe.base() != null) {
        assertThat(dockerfile).as(recipe.localName()).contains("ARG BASE_IMAGE", "FROM ${BASE_IMAGE}");
      } else {
        assertThat(dockerfile).as(recipe.localName()).contains("FROM scratch");
      }
    }
  }

  @Test
  void theDebianInputIdentityChangesWithItsPackages() {
    RecipeInput plain = RecipeInput.debianRootfs("rootfs.tar", "trixie", List.of());
    RecipeInput more = RecipeInput.debianRootfs("rootfs.tar", "trixie", List.of("ca-certificates"));
    assertThat(plain.identity()).isNotEqualTo(more.identity());
    assertThat(more.identity()).isEqualTo(
        RecipeInput.debianRootfs("rootfs.tar", "trixie", List.of("ca-certificates")).identity());
  }

  @Test
  void aMissingClasspathArtifactIsNamedInTheError() {
    RecipeInput missing = RecipeInput.classpathResource("x.txz", "no/such/resource.txz", "g:a:1.0");
    assertThatThrownBy(missing::identity)
        .isInstanceOf(ImageBuildException.class)
        .hasMessageContaining("no/such/resource.txz")
        .hasMessageContaining("g:a:1.0");
  }

  @Test
  void aRecipeMustStartWithItsDockerfileAndCarryATag() {
    assertThatThrownBy(() -> new Recipe("x/y:1", null, "d", List.of("entrypoint.sh"), List.of(), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Dockerfile");
    assertThatThrownBy(() -> new Recipe("x/y", null, "d", List.of("Dockerfile"), List.of(), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag");
  }

  @Test
  void theOllamaRecipeStandsInForTheOfficialImageOfTheVersionItsServerSpeaks() {
    String official = "ollama/ollama:" + OllamaServer.VERSION;
    assertThat(Recipes.forOfficial(official)).contains(Recipes.OLLAMA);
    assertThat(Recipes.forOfficial("docker.io/" + official)).contains(Recipes.OLLAMA);
    assertThat(Recipes.forOfficial("ollama/ollama:0.0.1")).isEmpty();
    assertThat(Recipes.OLLAMA.localName()).isEqualTo("deploykit.local/ollama:" + OllamaServer.VERSION);
    assertThat(Recipes.OLLAMA.baseRecipe()).contains(Recipes.JAVA_RUNTIME_21);
    assertThat(Recipes.all()).contains(Recipes.OLLAMA);
  }

  @Test
  void theOllamaRecipeCarriesTheServersClassPath() {
    RecipeInput lib = Recipes.OLLAMA.inputs().getFirst();
    assertThat(lib.contextName()).isEqualTo("lib");
    // The identity reads every jar: it only succeeds when the server's class path is complete.
    assertThat(lib.identity()).startsWith("classpath-entries:lib:");
    assertThat(OllamaServer.classPath()).hasSize(5);
  }

  @Test
  void theTestDropletMakesFreshHostKeysPerContainerAndStandsInForNothing() throws Exception {
    assertThat(Recipes.TEST_DROPLET.official()).isEmpty();
    assertThat(Recipes.BUSYBOX.official()).isEmpty();
    assertThat(Recipes.all()).contains(Recipes.TEST_DROPLET, Recipes.BUSYBOX);
    String boot;
    try (InputStream in = getClass()
        .getResourceAsStream("/" + Recipes.TEST_DROPLET_BARE.directory() + "/droplet-boot")) {
      boot = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    // No baked host key may survive into a container, or two droplets would share one.
    assertThat(boot).contains("rm -f /etc/ssh/ssh_host_*", "ssh-keygen -A", "mkdir -p /run/sshd",
        "/etc/droplet/dockerd-at-boot", "exec /usr/sbin/sshd -D -e");
    assertThat(Recipes.TEST_DROPLET.base()).isEqualTo(Recipes.TEST_DROPLET_BARE);
  }

  @Test
  void theCloudInitDropletRunsCloudInitOnItsSeedBeforeSshdAnswers() throws Exception {
    assertThat(Recipes.all()).contains(Recipes.TEST_DROPLET_CLOUD_INIT);
    assertThat(Recipes.TEST_DROPLET_CLOUD_INIT.official()).isEmpty();
    assertThat(Recipes.TEST_DROPLET_CLOUD_INIT.base()).isEqualTo(Recipes.TEST_DROPLET_BARE);
    String boot;
    try (InputStream in = getClass()
        .getResourceAsStream("/" + Recipes.TEST_DROPLET_CLOUD_INIT.directory() + "/cloud-boot")) {
      boot = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    // The host keys of the cloud-config are written (init stage) before sshd starts.
    assertThat(boot.indexOf("cloud-init init >>")).isPositive().isLessThan(boot.indexOf("exec /usr/sbin/sshd -D -e"));
    assertThat(boot).contains("cloud-init init --local", "cloud-init modules --mode=config",
        "cloud-init modules --mode=final").doesNotContain("rm -f /etc/ssh/ssh_host_*");
  }

  @Test
  void theBareDropletHasNoDockerButALocalRepositoryThatHoldsIt() throws Exception {
    assertThat(Recipes.all()).contains(Recipes.TEST_DROPLET_BARE);
    assertThat(Recipes.TEST_DROPLET_BARE.official()).isEmpty();
    String dockerfile;
    try (InputStream in = getClass()
        .getResourceAsStream("/" + Recipes.TEST_DROPLET_BARE.directory() + "/Dockerfile")) {
      dockerfile = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(dockerfile).contains("apt-get install -y --download-only docker.io", "dpkg-scanpackages",
        "deb [trusted=yes] file:/repo ./", "\"storage-driver\": \"overlay2\"", "NOPASSWD", "! command -v dockerd");
  }

  @Test
  void theRegistryStandsInForRegistry2AndMakesBcryptEntriesOnly() throws Exception {
    assertThat(Recipes.forOfficial("registry:2")).contains(Recipes.REGISTRY_2);
    assertThat(Recipes.forOfficial("docker.io/library/registry:2")).contains(Recipes.REGISTRY_2);
    String entrypoint;
    try (InputStream in = getClass()
        .getResourceAsStream("/" + Recipes.REGISTRY_2.directory() + "/registry-entrypoint.sh")) {
      entrypoint = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    // The distribution registry accepts bcrypt htpasswd entries only.
    assertThat(entrypoint).contains("htpasswd -Bbn", "/usr/bin/docker-registry serve");
  }
}

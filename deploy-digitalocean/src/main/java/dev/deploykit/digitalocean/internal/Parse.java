package dev.deploykit.digitalocean.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploykit.digitalocean.Account;
import dev.deploykit.digitalocean.Action;
import dev.deploykit.digitalocean.Droplet;
import dev.deploykit.digitalocean.Firewall;
import dev.deploykit.digitalocean.FirewallRule;
import dev.deploykit.digitalocean.Region;
import dev.deploykit.digitalocean.ReservedIp;
import dev.deploykit.digitalocean.Size;
import dev.deploykit.digitalocean.SshKey;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The API's JSON objects read into this module's records (ids as {@code long}). */
public final class Parse {
  private Parse() {}

  public static Droplet droplet(JsonNode d) {
    String publicIp = null;
    String privateIp = null;
    for (JsonNode n : d.path("networks").path("v4")) {
      String type = n.path("type").asText();
      if ("public".equals(type) && publicIp == null) {
        publicIp = n.path("ip_address").asText(null);
      } else if ("private".equals(type) && privateIp == null) {
        privateIp = n.path("ip_address").asText(null);
      }
    }
    JsonNode image = d.path("image");
    String imageName = image.path("slug").isTextual() ? image.path("slug").asText() : image.path("id").asText("");
    String size = d.path("size_slug").isTextual() ? d.path("size_slug").asText() : d.path("size").path("slug").asText("");
    return new Droplet(d.path("id").asLong(), d.path("name").asText(), d.path("status").asText(),
        d.path("region").path("slug").asText(""), size, imageName, strings(d.path("tags")), publicIp, privateIp,
        d.path("locked").asBoolean(false));
  }

  public static Action action(JsonNode a) {
    return new Action(a.path("id").asLong(), a.path("status").asText(), a.path("type").asText(),
        a.path("resource_id").asLong(0), a.path("resource_type").asText(null));
  }

  public static SshKey key(JsonNode k) {
    return new SshKey(k.path("id").asLong(), k.path("fingerprint").asText(), k.path("name").asText(),
        k.path("public_key").asText());
  }

  public static Firewall firewall(JsonNode f) {
    List<FirewallRule> inbound = new ArrayList<>();
    for (JsonNode r : f.path("inbound_rules")) {
      inbound.add(new FirewallRule(r.path("protocol").asText(), r.path("ports").asText("0"),
          strings(r.path("sources").path("addresses"))));
    }
    List<Long> ids = new ArrayList<>();
    f.path("droplet_ids").forEach(n -> ids.add(n.asLong()));
    return new Firewall(f.path("id").asText(), f.path("name").asText(), f.path("status").asText(""), inbound,
        strings(f.path("tags")), ids);
  }

  public static ReservedIp reservedIp(JsonNode r) {
    JsonNode droplet = r.path("droplet");
    @Nullable Long id = droplet.isObject() ? droplet.path("id").asLong() : null;
    return new ReservedIp(r.path("ip").asText(), r.path("region").path("slug").asText(""), id,
        r.path("locked").asBoolean(false));
  }

  public static Region region(JsonNode r) {
    return new Region(r.path("slug").asText(), r.path("name").asText(), r.path("available").asBoolean(false),
        strings(r.path("sizes")));
  }

  public static Size size(JsonNode s) {
    return new Size(s.path("slug").asText(), s.path("available").asBoolean(false), strings(s.path("regions")),
        s.path("memory").asInt(), s.path("vcpus").asInt());
  }

  public static Account account(JsonNode a) {
    return new Account(a.path("email").asText(""), a.path("droplet_limit").asInt(), a.path("status").asText(""));
  }

  public static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}

package io.groupwarden.operator.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.operator.support.OperatorHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the chart's Argo CD health script as Argo CD does: the resource as a Lua table named {@code
 * obj}, the script's returned table read for {@code status} and {@code message}.
 */
final class ArgoHealth {
  static final Path SCRIPT =
      OperatorHarness.repositoryRoot().resolve("helm/groupwarden/argocd/health.lua");
  private static final ObjectMapper JSON = new ObjectMapper();

  record Result(String status, String message) {}

  private ArgoHealth() {}

  /** The health of {@code resource} (any fabric8 object or JSON tree), whatever its kind. */
  static Result of(Object resource) {
    JsonNode tree = resource instanceof JsonNode node ? node : JSON.valueToTree(resource);
    String source;
    try {
      source = Files.readString(SCRIPT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", lua(tree));
    LuaValue result = globals.load(source, SCRIPT.getFileName().toString()).call();
    return new Result(result.get("status").tojstring(), result.get("message").optjstring(null));
  }

  static LuaValue lua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        table.set(field.getKey(), lua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isIntegralNumber()) {
      return LuaValue.valueOf(node.longValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
  }
}

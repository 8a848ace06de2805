package io.groupwarden.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.naming.DefaultSchemaDefinitionNamingStrategy;
import io.groupwarden.http.Access;
import io.groupwarden.http.ErrorBody;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document of the insight API, built from the same route table the server is
 * declared from, with the answers' JSON schemas generated from their view records: it cannot list a
 * route that is not served, nor describe an answer other than the one written.
 */
final class OpenApiDocument {
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-zA-Z]+)}");

  private OpenApiDocument() {}

  static ObjectNode of(List<ApiRoute> routes, ObjectMapper json) {
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(json, SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(Option.DEFINITIONS_FOR_ALL_OBJECTS)
            .with(Option.NULLABLE_FIELDS_BY_DEFAULT)
            .with(Option.NULLABLE_ARRAY_ITEMS_ALLOWED)
            .with(Option.ADDITIONAL_FIXED_TYPES)
            .without(Option.SCHEMA_VERSION_INDICATOR);
    config
        .forFields()
        .withPropertyNameOverrideResolver(
            field -> {
              JsonProperty name = field.getAnnotationConsideringFieldAndGetter(JsonProperty.class);
              return name == null || name.value().isEmpty() ? null : name.value();
            })
        .withNullableCheck(field -> !field.getType().isPrimitive());
    // names usable in a JSON pointer as they are: "Map(String,Integer)" becomes
    // "Map_String_Integer_"
    DefaultSchemaDefinitionNamingStrategy names = new DefaultSchemaDefinitionNamingStrategy();
    config
        .forTypesInGeneral()
        .withDefinitionNamingStrategy(
            (key, context) ->
                names.getDefinitionNameForKey(key, context).replaceAll("[^A-Za-z0-9_.-]", "_"));
    SchemaBuilder schemas = new SchemaGenerator(config.build()).buildMultipleSchemaDefinitions();

    ObjectNode doc = json.createObjectNode();
    doc.put("openapi", "3.1.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "groupwarden insight API");
    info.put("version", "v1");
    info.put(
        "description",
        "Governed consumer groups, their history and health, the topics they consume, and the"
            + " LagMonitors' Kafka and Redis Streams sources. Every /api and /ws route needs"
            + " Authorization: Bearer <token>; WebSockets also accept ?access_token=.");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode error = schemas.createSchemaReference(ErrorBody.class);
    for (ApiRoute route : routes) {
      ObjectNode operation =
          (paths.has(route.path())
                  ? (ObjectNode) paths.get(route.path())
                  : paths.putObject(route.path()))
              .putObject(route.method().toLowerCase());
      operation.put("summary", route.summary());
      operation.put("operationId", operationId(route));
      if (route.access() == Access.TOKEN) {
        operation.putArray("security").addObject().putArray("bearer");
      }
      ArrayNode parameters = operation.putArray("parameters");
      Matcher matcher = PATH_PARAM.matcher(route.path());
      while (matcher.find()) {
        ObjectNode param = parameters.addObject();
        param.put("name", matcher.group(1));
        param.put("in", "path");
        param.put("required", true);
        param.putObject("schema").put("type", "string");
      }
      for (ApiRoute.Param query : route.query()) {
        ObjectNode param = parameters.addObject();
        param.put("name", query.name());
        param.put("in", "query");
        param.put("description", query.description());
        param.putObject("schema").put("type", "string");
      }
      ObjectNode responses = operation.putObject("responses");
      if (route.websocket()) {
        operation.put("x-websocket", true);
        responses
            .putObject("101")
            .put(
                "description",
                "Switches to a WebSocket; see the summary for the messages it sends.");
      } else {
        responses
            .putObject("200")
            .put("description", "OK")
            .putObject("content")
            .putObject("application/json")
            .set("schema", schemas.createSchemaReference(route.answer()));
      }
      for (String status : List.of("400", "401", "404")) {
        responses
            .putObject(status)
            .put("description", describe(status))
            .putObject("content")
            .putObject("application/json")
            .set("schema", error.deepCopy());
      }
    }
    ObjectNode components = doc.putObject("components");
    components.set("schemas", schemas.collectDefinitions("components/schemas"));
    components
        .putObject("securitySchemes")
        .putObject("bearer")
        .put("type", "http")
        .put("scheme", "bearer");
    return doc;
  }

  private static String describe(String status) {
    return switch (status) {
      case "400" -> "A malformed or ambiguous request: {\"error\": ...} says what to change.";
      case "401" -> "No valid bearer token.";
      default -> "Nothing of that name is governed or checked by this operator.";
    };
  }

  private static String operationId(ApiRoute route) {
    StringBuilder id = new StringBuilder(route.websocket() ? "watch" : "get");
    for (String part : route.path().split("[/{}-]")) {
      if (!part.isEmpty() && !part.equals("api") && !part.equals("v1") && !part.equals("ws")) {
        id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return id.toString();
  }
}

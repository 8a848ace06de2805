package io.groupwarden.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupwarden.coordinator.metrics.CoordinatorMetrics;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.CoordinatorPerClass;
import io.groupwarden.testkit.OpenApiRoutes;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI document at /docs is valid OpenAPI 3, lists exactly the routes the server serves, and
 * describes the answers the server actually gives.
 */
class OpenApiDocumentTest {
  @RegisterExtension static final CoordinatorPerClass broker = new CoordinatorPerClass();

  static CoordinatorHttp server;
  static HttpCalls http;
  static JsonNode document;

  @BeforeAll
  static void start() throws Exception {
    server =
        CoordinatorHttp.start(
            new CoordinatorHttp.Settings(
                "127.0.0.1",
                0,
                java.util.Map.of("bootstrap.servers", broker.bootstrapServers()),
                "doc-cluster",
                1_048_588,
                4,
                Duration.ofSeconds(30),
                null,
                null),
            broker.coordinator().topics(),
            broker.coordinator().groups(),
            new CoordinatorMetrics());
    http = new HttpCalls("http://127.0.0.1:" + server.port());
    try (Admin admin = Clients.admin(broker.bootstrapServers())) {
      admin.createTopics(List.of(new NewTopic("docs-topic", 1, (short) 1))).all().get();
    }
    try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
      producer.send(new ProducerRecord<>("docs-topic", "k", "{\"a\":1}")).get();
      producer.send(new ProducerRecord<>("docs-topic", null, "plain")).get();
    }
    document = http.json("/docs");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theDocumentIsValidOpenApi3() throws Exception {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed =
        new OpenAPIV3Parser().readContents(http.get("/docs").body(), null, options);
    assertThat(parsed.getMessages()).isEmpty();
    assertThat(parsed.getOpenAPI().getInfo().getVersion()).doesNotContain("${");
  }

  @Test
  void theDocumentListsExactlyTheRoutesServed() throws Exception {
    assertThat(OpenApiRoutes.documented(document)).isEqualTo(new TreeSet<>(server.endpoints()));
  }

  @Test
  void answersHaveTheDocumentedShape() throws Exception {
    HttpResponse<String> consumed =
        http.post("/consume", "{\"topic\":\"docs-topic\",\"group_id\":\"docs\",\"timeout\":10}");
    assertThat(HttpCalls.json(consumed).get("count").asInt()).isEqualTo(2);
    conforms(consumed, "/consume", "post", 200);
    conforms(
        http.post("/produce", "{\"topic\":\"docs-topic\",\"message\":{\"b\":2},\"key\":\"x\"}"),
        "/produce",
        "post",
        200);
    conforms(http.get("/"), "/", "get", 200);
    conforms(http.get("/health"), "/health", "get", 200);
    conforms(http.get("/topics"), "/topics", "get", 200);
    conforms(http.get("/messages/docs-topic"), "/messages/{topic}", "get", 200);
    conforms(http.get("/consumer-groups"), "/consumer-groups", "get", 200);
    conforms(http.get("/consumer-groups/docs"), "/consumer-groups/{group}", "get", 200);
    conforms(
        http.get("/consumer-groups/docs/assignments"),
        "/consumer-groups/{group}/assignments",
        "get",
        200);
    conforms(http.get("/consumer-groups/nobody"), "/consumer-groups/{group}", "get", 404);
    conforms(http.get("/messages/docs-topic?limit=0"), "/messages/{topic}", "get", 400);
    conforms(http.post("/consume", "{\"topic\":\"nope\"}"), "/consume", "post", 404);
  }

  private static void conforms(
      HttpResponse<String> response, String path, String method, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode declared =
        resolve(
            document
                .get("paths")
                .get(path)
                .get(method)
                .get("responses")
                .get(String.valueOf(status)));
    assertThat(declared).as("%s %s %s documented", method, path, status).isNotNull();
    JsonNode schema = declared.get("content").get("application/json").get("schema");
    List<String> problems = new ArrayList<>();
    check(HttpCalls.json(response), schema, path, problems);
    assertThat(problems).as("%s %s answered %s", method, path, response.body()).isEmpty();
  }

  /** Checks a value against the subset of OpenAPI schemas the document uses. */
  private static void check(JsonNode value, JsonNode schema, String at, List<String> problems) {
    schema = resolve(schema);
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
        problems.add(at + " is null");
      }
      return;
    }
    JsonType type = TYPES.get(schema.path("type").asText(""));
    if (type == null) {
      return; // no type: any JSON value
    }
    if (!type.matches().test(value)) {
      problems.add(at + " is not " + type.name());
    } else if (value.isObject()) {
      checkObject(value, schema, at, problems);
    } else if (value.isArray()) {
      int i = 0;
      for (JsonNode item : value) {
        check(item, schema.get("items"), at + "[" + i++ + "]", problems);
      }
    }
  }

  /** An OpenAPI type: which JSON values have it, and its name in a problem. */
  private record JsonType(Predicate<JsonNode> matches, String name) {}

  private static final Map<String, JsonType> TYPES =
      Map.of(
          "object", new JsonType(JsonNode::isObject, "an object"),
          "array", new JsonType(JsonNode::isArray, "an array"),
          "string", new JsonType(JsonNode::isTextual, "a string"),
          "integer", new JsonType(JsonNode::isIntegralNumber, "an integer"),
          "number", new JsonType(JsonNode::isNumber, "a number"),
          "boolean", new JsonType(JsonNode::isBoolean, "a boolean"));

  /** The fields of an object: the required ones present, each documented and as documented. */
  private static void checkObject(
      JsonNode value, JsonNode schema, String at, List<String> problems) {
    JsonNode properties = schema.path("properties");
    schema
        .path("required")
        .forEach(
            r -> {
              if (!value.has(r.asText())) {
                problems.add(at + " lacks " + r.asText());
              }
            });
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (properties.has(field.getKey())) {
        check(
            field.getValue(), properties.get(field.getKey()), at + "." + field.getKey(), problems);
      } else if (schema.path("additionalProperties").isObject()) {
        check(
            field.getValue(),
            schema.get("additionalProperties"),
            at + "." + field.getKey(),
            problems);
      } else if (!schema.path("additionalProperties").asBoolean(true)) {
        problems.add(at + " has undocumented field " + field.getKey());
      }
    }
  }

  private static JsonNode resolve(JsonNode node) {
    while (node != null && node.has("$ref")) {
      String[] parts = node.get("$ref").asText().substring(2).split("/");
      JsonNode target = document;
      for (String part : parts) {
        target = target.get(part);
      }
      node = target;
    }
    return node;
  }
}

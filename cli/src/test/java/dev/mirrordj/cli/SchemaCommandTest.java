package dev.mirrordj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mirrordj.config.ConfigSchema;
import org.junit.jupiter.api.Test;

class SchemaCommandTest {
  @Test
  void printsTheGeneratedSchema() throws Exception {
    CliRun run = CliRun.main("schema");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode schema = new ObjectMapper().readTree(run.out());
    assertEquals(new ObjectMapper().readTree(ConfigSchema.generate().toString()), schema);
    assertTrue(schema.at("/properties/feature/properties/network").isObject());
  }
}

package io.groupwarden.e2e.secured;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything this JVM logs (the operator and an in-process sink worker) while open, with Kafka's
 * clients at INFO so that their configuration dumps are included too.
 */
final class LogCapture implements AutoCloseable {
  private static final String NAME = "secret-leak-capture";
  private final StringWriter text = new StringWriter();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final WriterAppender appender;
  private final Level kafkaLevel;

  LogCapture() {
    Configuration config = context.getConfiguration();
    appender =
        WriterAppender.newBuilder()
            .setName(NAME)
            .setTarget(text)
            .setLayout(
                PatternLayout.newBuilder()
                    .withPattern("%d %p [%t] %c - %m%n%throwable")
                    .withConfiguration(config)
                    .build())
            .build();
    appender.start();
    config.addAppender(appender);
    config.getRootLogger().addAppender(appender, null, null);
    LoggerConfig kafka = config.getLoggerConfig("org.apache.kafka");
    kafkaLevel = kafka.getLevel();
    if (kafka.getName().equals("org.apache.kafka")) {
      kafka.setLevel(Level.INFO);
    }
    context.updateLoggers();
  }

  synchronized String text() {
    return text.toString();
  }

  @Override
  public void close() {
    Configuration config = context.getConfiguration();
    config.getRootLogger().removeAppender(NAME);
    LoggerConfig kafka = config.getLoggerConfig("org.apache.kafka");
    if (kafka.getName().equals("org.apache.kafka")) {
      kafka.setLevel(kafkaLevel);
    }
    context.updateLoggers();
    appender.stop();
  }
}

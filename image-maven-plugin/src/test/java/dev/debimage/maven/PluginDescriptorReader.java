package dev.debimage.maven;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads the plugin descriptor that maven-plugin-plugin writes to {@code
 * META-INF/maven/plugin.xml}: the goals and their user-settable parameters.
 */
final class PluginDescriptorReader {

  /** The descriptor's location on the test class path, in {@code target/classes}. */
  static final String LOCATION = "META-INF/maven/plugin.xml";

  /** The plugin's goal prefix, artifact coordinates and goals sorted by name. */
  record Plugin(String goalPrefix, String groupId, String artifactId, String version, List<Goal> goals) {}

  /** A goal with its description, default phase (null for none) and parameters sorted by name. */
  record Goal(String name, String description, String phase, List<Parameter> parameters) {}

  /**
   * A parameter that a pom can set. {@code userProperty} and {@code defaultValue} are null when
   * the descriptor has none.
   */
  record Parameter(
      String name, String type, boolean required, String userProperty, String defaultValue, String description) {}

  private PluginDescriptorReader() {}

  /** Reads the descriptor from the class path, leaving out read-only parameters such as project. */
  static Plugin read() {
    try (InputStream in = PluginDescriptorReader.class.getClassLoader().getResourceAsStream(LOCATION)) {
      if (in == null) {
        throw new IllegalStateException(
            LOCATION + " not found on the class path: run mvn process-classes in image-maven-plugin first");
      }
      Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
      return plugin(document.getDocumentElement());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("invalid " + LOCATION + ": " + e.getMessage(), e);
    }
  }

  private static Plugin plugin(Element root) {
    List<Goal> goals = new ArrayList<>();
    for (Element mojo : children(child(root, "mojos"), "mojo")) {
      goals.add(goal(mojo));
    }
    goals.sort(Comparator.comparing(Goal::name));
    return new Plugin(
        text(root, "goalPrefix"), text(root, "groupId"), text(root, "artifactId"), text(root, "version"), goals);
  }

  private static Goal goal(Element mojo) {
    // <configuration> contains each parameter's expression, ${property}, and its default-value.
    Map<String, Element> configuration = new HashMap<>();
    Element configurationElement = child(mojo, "configuration");
    if (configurationElement != null) {
      for (Element entry : children(configurationElement, null)) {
        configuration.put(entry.getTagName(), entry);
      }
    }
    List<Parameter> parameters = new ArrayList<>();
    Element parametersElement = child(mojo, "parameters");
    if (parametersElement != null) {
      for (Element parameter : children(parametersElement, "parameter")) {
        if (!Boolean.parseBoolean(text(parameter, "editable"))) {
          continue;
        }
        String name = text(parameter, "name");
        Element entry = configuration.get(name);
        parameters.add(new Parameter(
            name,
            text(parameter, "type"),
            Boolean.parseBoolean(text(parameter, "required")),
            entry == null ? null : userProperty(entry.getTextContent()),
            entry == null || !entry.hasAttribute("default-value") ? null : entry.getAttribute("default-value"),
            text(parameter, "description")));
      }
    }
    parameters.sort(Comparator.comparing(Parameter::name));
    return new Goal(text(mojo, "goal"), text(mojo, "description"), text(mojo, "phase"), parameters);
  }

  private static String userProperty(String expression) {
    String value = expression == null ? "" : expression.strip();
    if (value.startsWith("${") && value.endsWith("}")) {
      return value.substring(2, value.length() - 1);
    }
    return null;
  }

  private static Element child(Element parent, String name) {
    List<Element> matches = children(parent, name);
    return matches.isEmpty() ? null : matches.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> result = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element element && (name == null || element.getTagName().equals(name))) {
        result.add(element);
      }
    }
    return result;
  }

  private static String text(Element parent, String name) {
    Element element = child(parent, name);
    if (element == null) {
      return null;
    }
    String value = element.getTextContent().strip();
    return value.isEmpty() ? null : value;
  }
}

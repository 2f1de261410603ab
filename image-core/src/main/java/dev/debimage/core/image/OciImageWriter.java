package dev.debimage.core.image;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the OCI image config and manifest for a list of layers. Equal inputs give equal bytes:
 * keys appear in a fixed order, without whitespace, in UTF-8.
 */
public final class OciImageWriter {

  // CompactJson writes a LinkedHashMap in insertion order, lists in order, no indentation.

  /**
   * Writes the config and manifest of an image made of {@code layers}, bottom first (the OS layers,
   * then the application layers), with one history entry per layer.
   *
   * @throws ImageBuildException if there are no layers
   */
  public BuiltImage write(List<Layer> layers, ImageConfig settings) {
    if (layers.isEmpty()) {
      throw new ImageBuildException("an image needs at least one layer: add packages or an application layer");
    }
    byte[] config = toJson(config(layers, settings));
    String configDigest = Digests.sha256(config);
    byte[] manifest = toJson(manifest(layers, configDigest, config.length, settings.annotations()));
    return new BuiltImage(Digests.sha256(manifest), manifest, configDigest, config, layers);
  }

  private static Map<String, Object> config(List<Layer> layers, ImageConfig settings) {
    OciPlatform platform = OciPlatform.fromDebian(settings.architecture());
    String created = settings.created().toString();

    Map<String, Object> container = new LinkedHashMap<>();
    container.put("User", settings.user());
    if (!settings.exposedPorts().isEmpty()) {
      container.put("ExposedPorts", emptyObjects(settings.exposedPorts()));
    }
    List<String> env = new ArrayList<>();
    settings.environment().forEach((name, value) -> env.add(name + "=" + value));
    if (!env.isEmpty()) {
      container.put("Env", env);
    }
    if (!settings.entrypoint().isEmpty()) {
      container.put("Entrypoint", settings.entrypoint());
    }
    if (!settings.cmd().isEmpty()) {
      container.put("Cmd", settings.cmd());
    }
    if (!settings.volumes().isEmpty()) {
      container.put("Volumes", emptyObjects(settings.volumes()));
    }
    container.put("WorkingDir", settings.workingDirectory());
    if (!settings.labels().isEmpty()) {
      container.put("Labels", settings.labels());
    }
    if (settings.stopSignal() != null) {
      container.put("StopSignal", settings.stopSignal());
    }

    List<String> diffIds = new ArrayList<>();
    List<Map<String, Object>> history = new ArrayList<>();
    for (Layer layer : layers) {
      diffIds.add(layer.diffId());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("created", created);
      entry.put("created_by", layer.createdBy());
      history.add(entry);
    }
    Map<String, Object> rootfs = new LinkedHashMap<>();
    rootfs.put("type", "layers");
    rootfs.put("diff_ids", diffIds);

    // The order of the image config specification's property list.
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("created", created);
    config.put("architecture", platform.architecture());
    config.put("os", "linux");
    platform.variant().ifPresent(variant -> config.put("variant", variant));
    config.put("config", container);
    config.put("rootfs", rootfs);
    config.put("history", history);
    return config;
  }

  /** Returns the JSON object that OCI uses for a set: each element maps to an empty object. */
  private static Map<String, Object> emptyObjects(Collection<String> keys) {
    Map<String, Object> set = new LinkedHashMap<>();
    keys.forEach(key -> set.put(key, Map.of()));
    return set;
  }

  private static Map<String, Object> manifest(
      List<Layer> layers, String configDigest, long configSize, Map<String, String> annotations) {
    List<Map<String, Object>> layerDescriptors = new ArrayList<>();
    for (Layer layer : layers) {
      layerDescriptors.add(descriptor(layer.mediaType(), layer.digest(), layer.size()));
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", BuiltImage.MANIFEST_MEDIA_TYPE);
    manifest.put("config", descriptor(BuiltImage.CONFIG_MEDIA_TYPE, configDigest, configSize));
    manifest.put("layers", layerDescriptors);
    if (!annotations.isEmpty()) {
      manifest.put("annotations", annotations);
    }
    return manifest;
  }

  /** Creates an OCI content descriptor with its properties in the specification's order. */
  public static Map<String, Object> descriptor(String mediaType, String digest, long size) {
    Map<String, Object> descriptor = new LinkedHashMap<>();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", digest);
    descriptor.put("size", size);
    return descriptor;
  }

  /** Serializes maps, lists, strings and numbers to compact UTF-8 JSON, as {@link CompactJson} does. */
  public static byte[] toJson(Object value) {
    return CompactJson.toBytes(value);
  }
}

package dev.debimage.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.GroupAccount;
import dev.debimage.core.assembly.PathDirective;
import dev.debimage.core.assembly.UserAccount;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.codehaus.plexus.classworlds.ClassWorld;
import org.codehaus.plexus.component.configurator.BasicComponentConfigurator;
import org.codehaus.plexus.configuration.xml.XmlPlexusConfiguration;
import org.codehaus.plexus.util.xml.Xpp3DomBuilder;
import org.junit.jupiter.api.Test;

/** Configures BuildMojo from pom XML the way Maven does and checks the accounts and paths. */
class AccountsAndPathsConfigurationTest {

  private static BuildMojo configure(String xml) throws Exception {
    BuildMojo mojo = new BuildMojo();
    ClassWorld world = new ClassWorld("test", AccountsAndPathsConfigurationTest.class.getClassLoader());
    new BasicComponentConfigurator().configureComponent(mojo,
        new XmlPlexusConfiguration(Xpp3DomBuilder.build(new StringReader(xml))),
        world.getRealm("test"));
    return mojo;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> field(BuildMojo mojo, String name) throws Exception {
    Field field = BuildMojo.class.getDeclaredField(name);
    field.setAccessible(true);
    return (List<T>) field.get(mojo);
  }

  @Test
  void pomElementsMapped() throws Exception {
    BuildMojo mojo = configure("<configuration>"
        + "<users><user><name>app</name><uid>1000</uid><shell>/bin/bash</shell></user></users>"
        + "<groups><group><name>data</name><gid>2000</gid>"
        + "<members><member>app</member></members></group></groups>"
        + "<paths>"
        + "<path><type>directory</type><path>/app/data</path><mode>0770</mode><uid>1000</uid></path>"
        + "<path><type>file</type><path>/app/motd</path><content>hello</content></path>"
        + "<path><type>symlink</type><path>/app/link</path><target>data</target></path>"
        + "<path><type>permissions</type><path>/app</path><gid>2000</gid>"
        + "<recursive>true</recursive></path>"
        + "</paths></configuration>");

    List<User> users = field(mojo, "users");
    assertEquals(new UserAccount("app", 1000, 1000, "/home/app", "/bin/bash"),
        users.get(0).toUserAccount());
    List<Group> groups = field(mojo, "groups");
    assertEquals(new GroupAccount("data", 2000, List.of("app")), groups.get(0).toGroupAccount());
    List<ImagePath> paths = field(mojo, "paths");
    assertEquals(4, paths.size());
    assertEquals(new PathDirective.Directory("/app/data", 0770, 1000, 0),
        paths.get(0).toDirective());
    assertEquals(new PathDirective.File("/app/motd", "hello".getBytes(StandardCharsets.UTF_8),
        0644, 0, 0), paths.get(1).toDirective());
    assertEquals(new PathDirective.Symlink("/app/link", "data"), paths.get(2).toDirective());
    assertEquals(new PathDirective.Permissions("/app", null, null, 2000L, true),
        paths.get(3).toDirective());
  }

  @Test
  void badValuesNamed() throws Exception {
    BuildMojo mojo = configure("<configuration><users><user><name>app</name></user></users>"
        + "<paths><path><type>folder</type><path>/x</path></path>"
        + "<path><type>directory</type><path>/y</path><mode>888</mode></path></paths>"
        + "</configuration>");

    List<User> users = field(mojo, "users");
    ImageBuildException uid = assertThrows(ImageBuildException.class,
        () -> users.get(0).toUserAccount());
    assertTrue(uid.getMessage().contains("<uid>"), uid.getMessage());
    List<ImagePath> paths = field(mojo, "paths");
    ImageBuildException type = assertThrows(ImageBuildException.class,
        () -> paths.get(0).toDirective());
    assertTrue(type.getMessage().contains("'folder'"), type.getMessage());
    ImageBuildException mode = assertThrows(ImageBuildException.class,
        () -> paths.get(1).toDirective());
    assertTrue(mode.getMessage().contains("'888'"), mode.getMessage());
  }
}

// The session shown in docs/getting-started.md. Run it with (from the repository root):
//   jshell --feedback normal --class-path "$(cat target/jshell.classpath)" < docs/getting-started.jsh
import io.github.pan4j.core.*;
System.out.print(Drives.create().describe())
Drive drive = Drives.open("memory", Map.of())
drive.ls("/")
drive.mkdirs("/docs/2024")
drive.put("/docs/2024/hello.txt", "hello, pan4j\n".getBytes())
drive.ls("/")
drive.ls("/docs/2024")
var out = new java.io.ByteArrayOutputStream();
drive.get("/docs/2024/hello.txt", out);
out.toString()
try { drive.stat("/docs/../etc"); } catch (DriveException e) { System.out.println(e.kind() + ": " + e.getMessage()); }
drive.close()
/exit

import org.ice4j.message.*; import java.nio.file.*;
public class Dec { public static void main(String[] a) throws Exception { byte[] b = Files.readAllBytes(Path.of("/tmp/turndbg/req.bin")); Message m = Message.decode(b, 0, b.length); System.out.println(m); } }

import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.WriterReportImpl;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * epubcheck on many EPUBs in one JVM: starting the JVM, compiling this file and loading epubcheck's schemas is
 * some 10 s of CPU, checking a small EPUB a quarter of a second. For each EPUB, prints "@@@ <path>", epubcheck's
 * messages for it, and "@@@ <fatals> <errors> <warnings>".
 *
 * java -cp epubcheck.jar Epubcheck.java a.epub b.epub   checks the EPUBs given, then exits.
 * java -cp epubcheck.jar Epubcheck.java                 serves a test run: prints "port N", then, for each
 *   connection to 127.0.0.1:N, reads paths a line each up to an empty line, checks them one after another and
 *   writes their results, then closes it. Exits when its standard input ends (the test run that started it did).
 */
public class Epubcheck {
  public static void main(String[] args) throws IOException {
    Locale.setDefault(Locale.ENGLISH);
    if (args.length > 0) {
      PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
      for (String path : args) check(path, out);
      out.flush();
      return;
    }
    Thread parent = new Thread(() -> {
      try {
        while (System.in.read() != -1) {}
      } catch (IOException ignored) {
      }
      System.exit(0);
    });
    parent.setDaemon(true);
    parent.start();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      System.out.println("port " + server.getLocalPort());
      System.out.flush();
      while (true) {
        try (Socket socket = server.accept()) {
          BufferedReader in =
              new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8));
          for (String path = in.readLine(); path != null && !path.isEmpty(); path = in.readLine()) check(path, out);
          out.flush();
        } catch (IOException gone) {
          // The caller went away; the next one is served.
        }
      }
    }
  }

  private static void check(String path, PrintWriter out) {
    StringWriter messages = new StringWriter();
    PrintWriter writer = new PrintWriter(messages);
    WriterReportImpl report = new WriterReportImpl(writer, path, true);
    int thrown = 0;
    try {
      new EpubCheck(new File(path), report).validate();
    } catch (RuntimeException failure) {
      // Counted as a fatal error, so the server goes on to the next EPUB.
      failure.printStackTrace(writer);
      thrown = 1;
    }
    writer.flush();
    out.println("@@@ " + path);
    out.print(messages);
    int fatals = report.getFatalErrorCount() + thrown;
    out.println("@@@ " + fatals + " " + report.getErrorCount() + " " + report.getWarningCount());
  }
}

import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.WriterReportImpl;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;

/**
 * epubcheck on many EPUBs in one JVM: starting the JVM and loading epubcheck's schemas is most of the cost of
 * checking one small EPUB. For each path given, prints "@@@ <path>", epubcheck's messages for it, and
 * "@@@ <fatals> <errors> <warnings>". Run: java -cp epubcheck.jar EpubcheckBatch.java a.epub b.epub
 */
public class EpubcheckBatch {
  public static void main(String[] args) {
    Locale.setDefault(Locale.ENGLISH);
    for (String path : args) {
      StringWriter messages = new StringWriter();
      PrintWriter writer = new PrintWriter(messages);
      WriterReportImpl report = new WriterReportImpl(writer, path, true);
      new EpubCheck(new File(path), report).validate();
      writer.flush();
      System.out.println("@@@ " + path);
      System.out.print(messages);
      System.out.println("@@@ " + report.getFatalErrorCount() + " " + report.getErrorCount() + " " + report.getWarningCount());
    }
  }
}

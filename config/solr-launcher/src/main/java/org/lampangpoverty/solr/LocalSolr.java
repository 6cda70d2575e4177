package org.lampangpoverty.solr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Runs Apache Solr 9 in standalone mode on 127.0.0.1 from a prepared Solr home
 * (solr.xml plus one directory per core). Used only by the local stack; the
 * Docker deployment runs the official Solr image with the same configset.
 *
 * Usage: LocalSolr SOLR_HOME PORT
 * Prints "SOLR_READY port=N" once every core has loaded, then runs until killed.
 */
public final class LocalSolr {
  private LocalSolr() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: LocalSolr SOLR_HOME PORT");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    if (!Files.isRegularFile(home.resolve("solr.xml"))) {
      System.err.println("SOLR_FAILED no solr.xml in " + home);
      System.exit(2);
    }
    int port = Integer.parseInt(args[1]);
    JettyConfig config = JettyConfig.builder().setPort(port).stopAtShutdown(true).build();
    JettySolrRunner runner = new JettySolrRunner(home.toString(), new Properties(), config);
    try {
      runner.start();
    } catch (Exception e) {
      System.err.println("SOLR_FAILED " + e);
      System.exit(1);
    }
    if (!runner.getCoreContainer().getCoreInitFailures().isEmpty()) {
      runner.getCoreContainer().getCoreInitFailures().forEach(
          (core, failure) -> System.err.println("SOLR_CORE_FAILED " + core + ": " + failure.exception));
    }
    System.out.println("SOLR_READY port=" + runner.getLocalPort());
    System.out.flush();
    Thread.currentThread().join();
  }
}

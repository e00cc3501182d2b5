package dev.junction.bench;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Draws the scale curves of {@link ScaleBenchmark} side by side into one PNG with JFreeChart. */
final class ScalePlot {

    private static final int PANEL_WIDTH = 720;
    private static final int HEIGHT = 480;
    private static final Color JUNCTION = new Color(0x1f, 0x77, 0xb4);
    private static final Color FLOOR = new Color(0xd6, 0x27, 0x28);

    private ScalePlot() {
    }

    /**
     * Writes the endpoint curves, with their controls as thin lines, on the left and the network
     * curves on the right. Times are in microseconds, index n-1 for the n-th.
     */
    static void write(Path file, long[] junctionEndpoints, long[] junctionControl, long[] floorEndpoints, long[] floorControl,
                      long[] junctionNetworks, long[] floorNetworks) {
        XYSeriesCollection endpointSeries = new XYSeriesCollection();
        endpointSeries.addSeries(series("Junction API (create + join)", junctionEndpoints));
        endpointSeries.addSeries(series("ip -batch (netns, veth, address, route)", floorEndpoints));
        endpointSeries.addSeries(series("Control: Junction GET of one endpoint", junctionControl));
        endpointSeries.addSeries(series("Control: one ip process reading lo", floorControl));
        JFreeChart endpoints = chart("The n-th endpoint on one bridge: create + join", "Endpoints on the bridge (n)", endpointSeries);

        XYSeriesCollection networkSeries = new XYSeriesCollection();
        networkSeries.addSeries(series("Junction API (create)", junctionNetworks));
        networkSeries.addSeries(series("ip -batch (bridge up with address)", floorNetworks));
        JFreeChart networks = chart("The n-th network: create", "Networks (n)", networkSeries);

        BufferedImage image = new BufferedImage(2 * PANEL_WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
            endpoints.draw(graphics, new Rectangle2D.Double(0, 0, PANEL_WIDTH, HEIGHT));
            networks.draw(graphics, new Rectangle2D.Double(PANEL_WIDTH, 0, PANEL_WIDTH, HEIGHT));
        } finally {
            graphics.dispose();
        }

        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream output = Files.newOutputStream(file)) {
                ChartUtils.writeBufferedImageAsPNG(output, image);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot to " + file, e);
        }
    }

    /** Draws series 0 (Junction) and 1 (floor) as thick lines, and series 2 and 3, if present, as their thin controls. */
    private static JFreeChart chart(String title, String xLabel, XYSeriesCollection dataset) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, "Milliseconds", dataset);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle("Median over a window of " + ScaleBenchmark.WINDOW + " around each n"));

        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, JUNCTION);
        renderer.setSeriesPaint(1, FLOOR);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        renderer.setSeriesPaint(2, JUNCTION);
        renderer.setSeriesPaint(3, FLOOR);
        renderer.setSeriesStroke(2, new BasicStroke(0.8f));
        renderer.setSeriesStroke(3, new BasicStroke(0.8f));
        plot.setRenderer(renderer);
        return chart;
    }

    private static XYSeries series(String label, long[] times) {
        XYSeries series = new XYSeries(label);
        List<Double> medians = ScaleBenchmark.rollingMedianMillis(times);
        for (int i = 0; i < medians.size(); i++) {
            series.add(i + 1, medians.get(i));
        }
        return series;
    }
}

/**
 * The run report: reads a run directory's {@code metrics.jsonl} and {@code summary.json}, draws the charts as PNG
 * (XChart, headless), predicts a grid of test images with the saved model, and writes one self-contained
 * {@code report.html} (images as data URIs, no network). Also overlays several runs on one comparison page.
 */
package io.fashionspark.report;

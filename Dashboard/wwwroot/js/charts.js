// Draws metric charts with uPlot (bundled from npm into wwwroot/lib at build time).
window.dashboardCharts = (() => {
    const charts = new WeakMap();
    const colours = ["#0f6cbd", "#c50f1f", "#107c10", "#8764b8", "#ca5010", "#038387", "#986f0b", "#e3008c", "#4f6bed", "#498205"];

    function render(element, times, names, lines, unit) {
        if (!element) {
            return;
        }
        const data = [times, ...lines];
        const existing = charts.get(element);
        if (existing && existing.series.length === names.length + 1 && existing.series.every((s, i) => i === 0 || s.label === names[i - 1])) {
            existing.setData(data);
            return;
        }
        if (existing) {
            existing.destroy();
        }
        const options = {
            width: Math.max(element.clientWidth, 320),
            height: 280,
            series: [
                {},
                ...names.map((name, i) => ({ label: name, stroke: colours[i % colours.length], width: 2, spanGaps: true, points: { show: true, size: 5 } })),
            ],
            axes: [{}, { label: unit || "", size: 70 }],
        };
        charts.set(element, new uPlot(options, data, element));
    }

    function dispose(element) {
        const chart = element && charts.get(element);
        if (chart) {
            chart.destroy();
            charts.delete(element);
        }
    }

    return { render, dispose };
})();

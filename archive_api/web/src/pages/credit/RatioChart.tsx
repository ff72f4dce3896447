// One chart of ratios over the years. Only the ECharts parts used here are registered, and only
// this area imports ECharts, so it loads with the credit pages and not with the app.
import { LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import type { ChartData } from "./logic";

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

interface Props {
  chart: ChartData;
  /** The indicator's name in the user's language. */
  name: (indicator: string) => string;
  label: string;
}

export function RatioChart({ chart, name, label }: Props) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const drawn = echarts.init(element.current, undefined, { renderer: "canvas" });
    drawn.setOption({
      animation: false, // drawn at once: what is on screen is what the figures say
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 56, right: 24, top: 16, bottom: 56 },
      xAxis: { type: "category", data: chart.years.map(String) },
      yAxis: { type: "value", scale: chart.kind !== "fraction" },
      series: chart.series.map((s) => ({
        type: "line",
        name: name(s.indicator),
        data: s.values,
        connectNulls: false,
        symbolSize: 7,
      })),
    });
    const resize = () => drawn.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      drawn.dispose();
    };
  }, [chart, name]);
  return <div ref={element} className="credit-chart" role="img" aria-label={label} />;
}

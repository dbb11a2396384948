/**
 * Colours of a chart's series in order, each with the emoji square that names it in the text
 * legend (xychart draws no legend). Mid-tone hues that read on GitHub's light and dark themes;
 * the legend also says every series in words, so nothing depends on telling colours apart.
 */
export const SERIES_COLORS = [
  { hex: "#4e79a7", square: "🟦", name: "blue" },
  { hex: "#f28e2b", square: "🟧", name: "orange" },
  { hex: "#59a14f", square: "🟩", name: "green" },
  { hex: "#e15759", square: "🟥", name: "red" },
  { hex: "#edc948", square: "🟨", name: "yellow" },
  { hex: "#b07aa1", square: "🟪", name: "purple" },
  { hex: "#9c755f", square: "🟫", name: "brown" },
  { hex: "#bab0ac", square: "⬜", name: "grey" },
] as const;

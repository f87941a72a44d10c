// Horizontal bar charts drawn as inline SVG (no library): one bar per label, its value written
// beside it, so the chart reads without colours; the same figures are in the figure's table for
// screen readers.
const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

// data: [[label, value], ...]; options: {format, max, width}
export function barChart(title, data, { format = (v) => String(v), max, width = 640 } = {}) {
  const rowH = 24;
  const longest = Math.max(...data.map(([label]) => String(label).length), 4);
  const labelW = Math.min(360, Math.max(120, longest * 7 + 16));
  const valueW = 70;
  const barW = width - labelW - valueW;
  const top = Math.max(...data.map(([, v]) => v), max || 0, 1);
  const height = data.length * rowH + 8;
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': title, class: 'chart',
  });
  root.append(svg('title', {}, title));
  data.forEach(([label, value], i) => {
    const y = i * rowH + 4;
    const room = Math.floor((labelW - 16) / 7);
    const text = String(label).length > room ? `${String(label).slice(0, room - 1)}…` : String(label);
    root.append(svg('text', { x: labelW - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'chart-label' }, text));
    const w = Math.max(value > 0 ? 2 : 0, (value / top) * barW);
    root.append(svg('rect', { x: labelW, y: y + 3, width: w, height: rowH - 8, class: 'chart-bar', rx: 2 }));
    root.append(svg('text', { x: labelW + w + 6, y: y + rowH / 2 + 4, class: 'chart-value' }, format(value)));
  });
  const figure = document.createElement('figure');
  const caption = document.createElement('figcaption');
  caption.textContent = title;
  figure.append(caption, root);
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = 'Voir les chiffres';
  const table = document.createElement('table');
  for (const [label, value] of data) {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = label;
    const td = document.createElement('td');
    td.textContent = format(value);
    tr.append(th, td);
    table.append(tr);
  }
  details.append(summary, table);
  figure.append(details);
  return figure;
}

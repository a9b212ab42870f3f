/* A project's approval schedule as a Gantt (ECharts, vendored): planned (as late as possible)
   bars, actual bars beneath them, dependency arrows, the critical path in red, non-working days
   shaded, the today line. Data from the page's one JSON endpoint (#gantt[data-url]). */
(function () {
  'use strict';
  var element = document.getElementById('gantt');
  if (!element || !window.echarts) { return; }
  var DAY = 86400000;
  function t(iso) { return iso ? Date.parse(iso + 'T00:00:00Z') : null; }

  fetch(element.getAttribute('data-url'), {credentials: 'same-origin'})
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var items = data.items, names = items.map(function (i) { return i.name; });
      var row = {};
      items.forEach(function (i, n) { row[i.id] = n; });
      var planned = items.map(function (i, n) {
        return {value: [n, t(i.late_start), t(i.late_finish) + DAY, i.critical ? 1 : 0],
                item: i};
      });
      var actual = items.filter(function (i) { return i.actual_start; }).map(function (i) {
        var end = i.actual_end ? t(i.actual_end) + DAY : t(data.today) + DAY;
        return {value: [row[i.id], t(i.actual_start), end, i.actual_end ? 1 : 0], item: i};
      });
      var links = [];
      items.forEach(function (i) {
        i.depends_on.forEach(function (dep) {
          var from = items[row[dep]];
          links.push({value: [row[dep], t(from.late_finish) + DAY, row[i.id], t(i.late_start)]});
        });
      });
      var shaded = data.non_working.map(function (d) {
        return [{xAxis: t(d[0])}, {xAxis: t(d[1]) + DAY}];
      });
      function bar(params, api, offset, height, color) {
        var start = api.coord([api.value(1), api.value(0)]);
        var end = api.coord([api.value(2), api.value(0)]);
        var h = api.size([0, 1])[1] * height;
        return {type: 'rect', shape: {x: start[0], y: start[1] + offset * h - h / 2,
                                      width: Math.max(end[0] - start[0], 2), height: h},
                style: {fill: color}};
      }
      var chart = echarts.init(element, null, {renderer: 'svg'});
      chart.setOption({
        animation: false,
        tooltip: {formatter: function (p) {
          var i = p.data && p.data.item; if (!i) { return ''; }
          return i.name + '<br>' + i.department + '<br>' + i.late_start + ' – ' + i.late_finish +
            (i.actual_start ? '<br>' + data.labels.actual + ': ' + i.actual_start + ' – ' + (i.actual_end || '') : '');
        }},
        legend: {data: [data.labels.planned, data.labels.critical, data.labels.actual]},
        grid: {left: 220, right: 30, top: 40, bottom: 30},
        xAxis: {type: 'time', position: 'top'},
        yAxis: {type: 'category', data: names, inverse: true, axisLabel: {width: 200, overflow: 'truncate'}},
        series: [
          {name: data.labels.planned, type: 'custom', encode: {x: [1, 2], y: 0}, data: planned,
           renderItem: function (p, api) {
             return bar(p, api, -0.15, 0.45, api.value(3) ? '#d9534f' : '#5b9bd5');
           },
           markArea: {silent: true, itemStyle: {color: 'rgba(0,0,0,0.06)'}, data: shaded},
           markLine: {silent: true, symbol: 'none', lineStyle: {color: '#333', type: 'solid'},
                      label: {formatter: data.labels.today},
                      data: [{xAxis: t(data.today), name: 'today'}].concat(data.project.target ? [
                        {xAxis: t(data.project.target) + DAY, name: 'target',
                         lineStyle: {color: '#d9534f', type: 'dashed'},
                         label: {formatter: data.labels.target}}] : [])}},
          {name: data.labels.critical, type: 'custom', data: [], renderItem: function () { return null; },
           itemStyle: {color: '#d9534f'}},
          {name: data.labels.actual, type: 'custom', encode: {x: [1, 2], y: 0}, data: actual,
           itemStyle: {color: '#5cb85c'},
           renderItem: function (p, api) {
             return bar(p, api, 0.35, 0.25, api.value(3) ? '#5cb85c' : '#f0ad4e');
           }},
          {name: 'links', type: 'custom', data: links, silent: true, renderItem: function (p, api) {
            var a = api.coord([api.value(1), api.value(0)]), b = api.coord([api.value(3), api.value(2)]);
            return {type: 'polyline', shape: {points: [a, [a[0] + 4, a[1]], [a[0] + 4, b[1]], b]},
                    style: {stroke: '#888', fill: null, lineWidth: 1}};
          }}
        ]
      });
      element.setAttribute('data-rendered', items.length);
      window.addEventListener('resize', function () { chart.resize(); });
    });
}());

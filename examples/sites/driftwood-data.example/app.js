/* Driftwood Data marketing site: a tiny client-side renderer (no framework, no network). */
(function () {
  'use strict';

  var content = {
    nav: [
      { href: '/', label: 'Home' },
      { href: '/news', label: 'News' },
      { href: '/careers', label: 'Careers' },
      { href: '/team', label: 'Team' }
    ],
    headline: 'Know when your data pipelines break, before your dashboards do',
    about: [
      'Driftwood Data is an observability platform for data pipelines. Data and analytics teams use it to monitor freshness, volume and schema changes across their warehouses and to trace column-level lineage from source to dashboard.',
      'We are a data infrastructure company of 75 employees, based in Bristol with engineers across the UK and Europe. Our services are written in Python, run on Kubernetes, and ship through GitHub Actions several times a day.',
      'We are hiring: see our 4 open roles on the careers page.'
    ],
    news: [
    { href: "/news/lineage-alerts", title: "Driftwood Data launches Lineage Alerts", date: "2026-11-09", label: "November 9, 2026", summary: "Lineage Alerts warns data teams when an upstream schema change or a late load is about to break the dashboards and models that depend on it." },
    { href: "/news/series-a", title: "Driftwood Data raises $18M Series A", date: "2026-10-01", label: "October 1, 2026", summary: "We raised an $18M Series A led by Bracken Lane Capital to grow our engineering team and expand in Europe and North America." }
    ],
    footer: '\u00a9 2026 Driftwood Data Ltd., Bristol. Fictional company for demonstration purposes.'
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    var key, i;
    if (attrs) {
      for (key in attrs) {
        if (Object.prototype.hasOwnProperty.call(attrs, key)) {
          node.setAttribute(key, attrs[key]);
        }
      }
    }
    if (typeof children === 'string') {
      node.textContent = children;
    } else if (children) {
      for (i = 0; i < children.length; i++) {
        node.appendChild(children[i]);
      }
    }
    return node;
  }

  function render(root) {
    var links = [], paragraphs = [], articles = [], i, item;
    for (i = 0; i < content.nav.length; i++) {
      links.push(el('a', { href: content.nav[i].href }, content.nav[i].label));
    }
    for (i = 0; i < content.about.length; i++) {
      paragraphs.push(el('p', null, content.about[i]));
    }
    for (i = 0; i < content.news.length; i++) {
      item = content.news[i];
      articles.push(el('article', { 'class': 'post' }, [
        el('h2', null, [el('a', { href: item.href }, item.title)]),
        el('time', { datetime: item.date }, item.label),
        el('p', null, item.summary)
      ]));
    }
    root.appendChild(el('header', null, [el('nav', null, links)]));
    root.appendChild(el('main', null, [
      el('h1', null, content.headline),
      el('section', { id: 'about' }, [el('h2', null, 'About us')].concat(paragraphs)),
      el('section', { id: 'latest' }, [el('h2', null, 'Latest news')].concat(articles))
    ]));
    root.appendChild(el('footer', null, [el('p', null, content.footer)]));
  }

  function start() {
    var root = document.getElementById('root');
    if (root) {
      render(root);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());

#!/usr/bin/env python3
"""Merge entries into a .resx: resx.py FILE < tsv (key<TAB>value per line). Keeps existing entries, sorted by key."""
import sys, os, xml.etree.ElementTree as ET
from xml.sax.saxutils import escape
path = sys.argv[1]
entries = {}
if os.path.exists(path):
    for d in ET.parse(path).getroot().findall('data'):
        entries[d.get('name')] = d.find('value').text or ''
for line in sys.stdin.read().splitlines():
    if not line.strip() or line.startswith('#'): continue
    k, v = line.split('\t', 1)
    entries[k.replace('\\n', '\n')] = v.replace('\\n', '\n')
# Resource keys are case-insensitive: two that differ only in case would lose one in the build (MSB3568).
seen = {}
for k in entries:
    if k.lower() in seen and seen[k.lower()] != k:
        sys.exit(f"{path}: keys differ only in case: {seen[k.lower()]!r} and {k!r}; reword one")
    seen[k.lower()] = k
head = '''<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''
def attr(s): return escape(s, {'"': '&quot;'})
with open(path, 'w', encoding='utf-8') as f:
    f.write(head)
    for k in sorted(entries, key=str.lower):
        f.write(f'  <data name="{attr(k)}" xml:space="preserve"><value>{escape(entries[k])}</value></data>\n')
    f.write('</root>\n')
print(f"{path}: {len(entries)} entries")

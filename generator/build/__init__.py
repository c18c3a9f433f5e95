"""The site build steps no site engine owns (pipeline.py): before the pages (the bundle, the compiled data, the
files to publish), the pages' server-side HTML, and on a finished site (the theme's vendor files made offline, the
search index, the scripts checked against the CSP, the app manifest and icons)."""

"""Reproductions of published results (Eyeriss ISCA 2016, JSSC 2017)."""

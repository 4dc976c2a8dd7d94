"""Course assignments: check cells that compare hand-computed answers with accelsim
(``accelsim.teaching.checks``) and the student version of an assignment notebook
(``python -m accelsim.teaching.student NOTEBOOK --out FILE``)."""

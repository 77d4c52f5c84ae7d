-- scores_clear: forget the stored scores (before they are written again).
delete from scores

-- appraisal_move_undo: mark one move undone (it stays in the record).
-- params: $period, $seq
update appraisal_moves set undone = true where period = $period and seq = $seq

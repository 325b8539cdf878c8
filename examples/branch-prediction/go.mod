module example.com/perfgo/branchprediction

go 1.19

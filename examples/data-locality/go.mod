module example.com/perfgo/datalocality

go 1.19

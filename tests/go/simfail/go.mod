module example.com/simfail

go 1.19

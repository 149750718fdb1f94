mod numbers;
mod gazetteer;
mod catalogue;

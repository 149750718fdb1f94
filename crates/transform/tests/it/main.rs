mod numbers;
mod gazetteer;
mod catalogue;
mod golden;
mod link;
